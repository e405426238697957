-- Clicks by recipient (ADR 30): "at least N clicks" segments group a window's clicks by recipient; this index hands
-- them over already grouped, read from the index alone (the window is the id, a human filter the flags), instead of
-- a temporary B-tree of every recipient. Partial: clicks without a recipient never belong to a segment.
CREATE INDEX clicks_recipient ON clicks (recipient, id, flags) WHERE recipient IS NOT NULL;
