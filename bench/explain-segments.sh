#!/usr/bin/env bash
# The "at least 3 clicks in 30 days" segment of scenario (f), before and after the 2026-12-06 changes, against a tenant
# that `bash bench/run.sh --scenario f --keep-data` left loaded (docs/benchmarks.md, "2026-12-06 segments"):
#   before: SELECT DISTINCT over the GROUP BY, the server's work_mem, recipients inserted in the query's order
#   after:  the GROUP BY alone, work_mem 64MB, recipients inserted in primary-key order (ORDER BY recipient)
# Each statement runs --repeat times (default 3); INSERTs run in a transaction that is rolled back.
#   bash bench/explain-segments.sh postgres '<libpq conninfo of the database>' [schema, default t_seg]
#   bash bench/explain-segments.sh sqlite <tenant .db file>
# Measures the one-row-per-recipient table that 0012_segment_pages replaced (ADR 29): run it against a tenant
# loaded by a build before that migration.
set -euo pipefail
engine=${1:?postgres or sqlite}
target=${2:?connection or file}
schema=${3:-t_seg}
repeat=${REPEAT:-3}

# The smallest UUIDv7 of the millisecond 30 days ago (ClickIdBounds.SmallestAt): 48-bit Unix ms, then zeros.
ms=$(( $(date +%s%3N) - 30 * 86400 * 1000 ))
hex=$(printf '%012x' "$ms")
grouped="SELECT recipient FROM clicks WHERE recipient IS NOT NULL AND id >= BOUND GROUP BY recipient HAVING count(*) >= 3"
before="SELECT DISTINCT recipient FROM ($grouped) AS segment"
after="$grouped"

case "$engine" in
  postgres)
    bound="'${hex:0:8}-${hex:8:4}-0000-0000-000000000000'::uuid"
    before=${before//BOUND/$bound}
    after=${after//BOUND/$bound}
    run() { # label, work_mem, statement
      for i in $(seq "$repeat"); do
        echo "== $1 (work_mem $2, run $i)"
        local statement=${3//RUN/run_$(openssl rand -hex 8)}
        # A run id of its own and a VACUUM first: a rolled-back insert leaves dead index entries that the next one's
        # uniqueness checks would visit.
        psql "$target" -X -q -v ON_ERROR_STOP=1 <<SQL | grep -E 'Execution Time|HashAggregate|Batches|Sort Method|Seq Scan|Index|Insert on|temp read|temp written|^ +Buffers' | head -20
SET search_path = $schema; SET work_mem = '$2';
VACUUM segment_recipients;
BEGIN;
EXPLAIN (ANALYZE, BUFFERS) $statement;
ROLLBACK;
SQL
      done
    }
    default=$(psql "$target" -X -A -t -c "SHOW work_mem")
    run "before: SELECT" "$default" "$before"
    run "after: SELECT" 64MB "$after"
    run "before: INSERT" "$default" "INSERT INTO segment_recipients (run_id, recipient) SELECT 'RUN', recipient FROM ($before) AS r"
    run "after, no ORDER BY: INSERT" 64MB "INSERT INTO segment_recipients (run_id, recipient) SELECT 'RUN', recipient FROM ($after) AS r"
    run "after: INSERT" 64MB "INSERT INTO segment_recipients (run_id, recipient) SELECT 'RUN', recipient FROM ($after) AS r ORDER BY recipient COLLATE \"C\""
    ;;
  sqlite)
    bound="X'${hex}$(printf '0%.0s' $(seq 20))'"
    before=${before//BOUND/$bound}
    after=${after//BOUND/$bound}
    run() { # label, statement
      echo "== $1"
      sqlite3 "$target" "EXPLAIN QUERY PLAN $2;" | sed 's/^/   /'
      for i in $(seq "$repeat"); do
        local statement=${2//RUN/run_$(openssl rand -hex 8)}
        sqlite3 "$target" <<SQL | grep -E '^Run Time'
BEGIN;
.timer on
$statement;
.timer off
ROLLBACK;
SQL
      done
    }
    run "before: SELECT" "SELECT count(*) FROM ($before)"
    run "after: SELECT" "SELECT count(*) FROM ($after)"
    run "before: INSERT" "INSERT INTO segment_recipients (run_id, recipient) SELECT 'RUN', recipient FROM ($before) AS r"
    run "after, no ORDER BY: INSERT" "INSERT INTO segment_recipients (run_id, recipient) SELECT 'RUN', recipient FROM ($after) AS r"
    run "after: INSERT" "INSERT INTO segment_recipients (run_id, recipient) SELECT 'RUN', recipient FROM ($after) AS r ORDER BY recipient"
    ;;
  *) echo "engine: postgres or sqlite" >&2; exit 2 ;;
esac
