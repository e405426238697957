-- A link's UTM parameters, redirect rules and visit limit as one JSON object (NULL: none); see ADR 25.
ALTER TABLE links ADD COLUMN features text;
