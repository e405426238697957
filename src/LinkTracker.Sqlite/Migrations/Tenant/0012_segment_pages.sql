-- A run's recipients in pages of 1,000 (ADR 29): one row per page, keyed by its first recipient, with the page's
-- recipients as a JSON array in BINARY (code point) order. Writing a run of 640,000 recipients is 640 rows instead of
-- 640,000 B-tree entries. The completed runs' recipients move into pages; segment_recipients goes.
CREATE TABLE segment_pages (
    run_id          TEXT NOT NULL,
    first_recipient TEXT NOT NULL,
    size            INTEGER NOT NULL,
    recipients      TEXT NOT NULL,
    PRIMARY KEY (run_id, first_recipient)
) WITHOUT ROWID;

INSERT INTO segment_pages (run_id, first_recipient, size, recipients)
SELECT run_id, min(recipient), count(*), json_group_array(recipient ORDER BY recipient)
FROM (SELECT run_id, recipient, (row_number() OVER (PARTITION BY run_id ORDER BY recipient) - 1) / 1000 AS page
      FROM segment_recipients) AS numbered
GROUP BY run_id, page;

DROP TABLE segment_recipients;
