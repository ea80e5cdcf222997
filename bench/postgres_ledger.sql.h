// The SQL side of postgres_run: the ledger's schema and its batch function.
#pragma once

namespace bitcontent::bench {

// Ids are bigint rather than the engine's 128-bit ids: narrower keys, in PostgreSQL's
// favour. Accounts leave half of each page free (fillfactor) so that balance updates
// stay on their page (HOT updates, no index change).
inline constexpr char kPostgresSchema[] = R"sql(
-- Every round starts from empty tables (quietly: the first finds none to drop).
SET client_min_messages = warning;
DROP FUNCTION IF EXISTS create_transfers;
DROP TABLE IF EXISTS transfers, accounts;

CREATE TABLE accounts (
  id bigint PRIMARY KEY,
  debits bigint NOT NULL DEFAULT 0,
  credits bigint NOT NULL DEFAULT 0,
  debits_must_not_exceed_credits boolean NOT NULL
) WITH (fillfactor = 50);

CREATE TABLE transfers (
  id bigint PRIMARY KEY,
  debit_account_id bigint NOT NULL,
  credit_account_id bigint NOT NULL,
  amount bigint NOT NULL,
  reference bigint NOT NULL,
  code integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Applies a batch in order; returns one result per transfer with the engine's codes:
-- 1 OK, 2 LINKED_EVENT_FAILED, 3 LINKED_EVENT_CHAIN_OPEN, 22 CREDIT_ACCOUNT_NOT_FOUND,
-- 47 EXISTS, 56 EXCEEDS_CREDITS (also for a missing debit account).
CREATE FUNCTION create_transfers(ids bigint[], debit_ids bigint[], credit_ids bigint[],
                                 amounts bigint[], refs bigint[], codes integer[],
                                 linked boolean[])
RETURNS integer[] LANGUAGE plpgsql AS $$
DECLARE
  n integer := cardinality(ids);
  results integer[] := array_fill(0, ARRAY[n]);
  first integer := 1;
  last integer;
  failed integer;
  i integer;
BEGIN
  WHILE first <= n LOOP
    -- The chain [first, last]: every event but the last is linked.
    last := first;
    WHILE last < n AND linked[last] LOOP
      last := last + 1;
    END LOOP;
    IF linked[last] THEN
      FOR i IN first..last LOOP
        results[i] := 2;
      END LOOP;
      results[last] := 3;
      EXIT;
    END IF;
    failed := 0;
    FOR i IN first..last LOOP
      INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, reference, code)
        VALUES (ids[i], debit_ids[i], credit_ids[i], amounts[i], refs[i], codes[i])
        ON CONFLICT (id) DO NOTHING;
      IF NOT FOUND THEN
        results[i] := 47;
        CONTINUE;
      END IF;
      UPDATE accounts SET debits = debits + amounts[i]
        WHERE id = debit_ids[i]
          AND (NOT debits_must_not_exceed_credits OR credits - debits >= amounts[i]);
      IF NOT FOUND THEN
        DELETE FROM transfers WHERE id = ids[i];
        results[i] := 56;
        failed := i;
        EXIT;
      END IF;
      UPDATE accounts SET credits = credits + amounts[i] WHERE id = credit_ids[i];
      IF NOT FOUND THEN
        UPDATE accounts SET debits = debits - amounts[i] WHERE id = debit_ids[i];
        DELETE FROM transfers WHERE id = ids[i];
        results[i] := 22;
        failed := i;
        EXIT;
      END IF;
      results[i] := 1;
    END LOOP;
    IF failed > 0 THEN
      -- All or nothing: undo what the chain applied before the failure.
      FOR i IN first..last LOOP
        CONTINUE WHEN i = failed;
        IF results[i] = 1 THEN
          UPDATE accounts SET debits = debits - amounts[i] WHERE id = debit_ids[i];
          UPDATE accounts SET credits = credits - amounts[i] WHERE id = credit_ids[i];
          DELETE FROM transfers WHERE id = ids[i];
        END IF;
        results[i] := 2;
      END LOOP;
    END IF;
    first := last + 1;
  END LOOP;
  RETURN results;
END
$$;
)sql";

inline constexpr char kCreateTransfersCall[] =
    "SELECT create_transfers($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], "
    "$5::bigint[], $6::integer[], $7::boolean[])";

}  // namespace bitcontent::bench
