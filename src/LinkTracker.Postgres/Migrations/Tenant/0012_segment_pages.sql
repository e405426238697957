-- A run's recipients in pages of 1,000 (ADR 29): one row per page, keyed by its first recipient, with the page's
-- recipients as a JSON array in "C" order. Writing a run of 640,000 recipients is 640 rows instead of 640,000 index
-- entries. The completed runs' recipients move into pages; segment_recipients goes.
CREATE TABLE segment_pages (
    run_id          text NOT NULL,
    first_recipient text COLLATE "C" NOT NULL,
    size            integer NOT NULL,
    recipients      text NOT NULL,
    PRIMARY KEY (run_id, first_recipient)
);

INSERT INTO segment_pages (run_id, first_recipient, size, recipients)
SELECT run_id, min(recipient), count(*), json_agg(recipient ORDER BY recipient)::text
FROM (SELECT run_id, recipient, (row_number() OVER (PARTITION BY run_id ORDER BY recipient) - 1) / 1000 AS page
      FROM segment_recipients) AS numbered
GROUP BY run_id, page;

DROP TABLE segment_recipients;
