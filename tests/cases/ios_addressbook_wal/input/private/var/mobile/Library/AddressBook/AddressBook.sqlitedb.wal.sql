-- Five commits, all left in the WAL (no checkpoint):
-- 1: Alice's surname changes.
UPDATE ABPerson SET Last = 'Smith', ModificationDate = 700000100 WHERE ROWID = 1;
-- 2: Bob and his number are deleted in one transaction.
BEGIN; DELETE FROM ABMultiValue WHERE record_id = 2; DELETE FROM ABPerson WHERE ROWID = 2; COMMIT;
-- 3: Carol is added with one number.
BEGIN;
INSERT INTO ABPerson (ROWID, First, Last, CreationDate, ModificationDate, StoreID, guid) VALUES (4, 'Carol', 'White', 700000200, 700000200, 1, 'P4');
INSERT INTO ABMultiValue (UID, record_id, property, identifier, label, value, guid) VALUES (4, 4, 3, 0, 1, '+447700900444', 'M4');
COMMIT;
-- 4: an unrelated table changes (a state remit may skip).
UPDATE ABStore SET LastSyncDate = '2023-03-07' WHERE ROWID = 1;
-- 5: Carol's number is corrected: the live state.
UPDATE ABMultiValue SET value = '+447700900333' WHERE UID = 4;
