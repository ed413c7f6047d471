-- AddressBook.sqlitedb with the real column definitions of the tables remit
-- reads (iOS 15), including defaults and a trigger that call the app's own
-- functions (ab_generate_guid, ab_update_value_from_trigger).
CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, First TEXT, Last TEXT, Middle TEXT, FirstPhonetic TEXT, MiddlePhonetic TEXT, LastPhonetic TEXT, Organization TEXT, Department TEXT, Note TEXT, Kind INTEGER, Birthday TEXT, JobTitle TEXT, Nickname TEXT, Prefix TEXT, Suffix TEXT, FirstSort TEXT, LastSort TEXT, CreationDate INTEGER, ModificationDate INTEGER, CompositeNameFallback TEXT, ExternalIdentifier TEXT, ExternalModificationTag TEXT, ExternalUUID TEXT, StoreID INTEGER, DisplayName TEXT, ExternalRepresentation BLOB, FirstSortSection TEXT, LastSortSection TEXT, FirstSortLanguageIndex INTEGER DEFAULT 2147483647, LastSortLanguageIndex INTEGER DEFAULT 2147483647, PersonLink INTEGER DEFAULT -1, ImageURI TEXT, IsPreferredName INTEGER DEFAULT 1, guid TEXT NOT NULL DEFAULT (ab_generate_guid()), PhonemeData TEXT, AlternateBirthday TEXT, MapsData TEXT, FirstPronunciation TEXT, MiddlePronunciation TEXT, LastPronunciation TEXT, OrganizationPhonetic TEXT, OrganizationPronunciation TEXT, PreviousFamilyName TEXT, PreferredLikenessSource TEXT, PreferredPersonaIdentifier TEXT, PreferredChannel TEXT, DowntimeWhitelist TEXT, ImageType TEXT, ImageHash BLOB, MemojiMetadata BLOB, UNIQUE(guid));
CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, identifier INTEGER, label INTEGER, value TEXT, guid TEXT NOT NULL DEFAULT (ab_generate_guid()), UNIQUE(guid));
CREATE TABLE ABMultiValueLabel (value TEXT, UNIQUE(value));
CREATE TABLE ABMultiValueEntry (parent_id INTEGER, key INTEGER, value TEXT, UNIQUE(parent_id, key));
CREATE TABLE ABMultiValueEntryKey (value TEXT, UNIQUE(value));
CREATE TABLE ABStore (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, Name TEXT, ExternalIdentifier TEXT, Type INTEGER, ConstraintsPath TEXT, ExternalModificationTag TEXT, ExternalSyncTag TEXT, StoreInternalIdentifier TEXT, AccountID INTEGER DEFAULT -1, Enabled INTEGER DEFAULT 1, SyncData BLOB, MeIdentifier INTEGER DEFAULT -1, Capabilities INTEGER DEFAULT 0, guid TEXT NOT NULL DEFAULT (ab_generate_guid()), LastSyncDate TEXT, UNIQUE(StoreInternalIdentifier), UNIQUE(guid));
CREATE TRIGGER UpdatePersonLinkField AFTER UPDATE OF PersonLink ON ABPerson WHEN OLD.PersonLink != NEW.PersonLink BEGIN UPDATE ABPerson SET IsPreferredName = ab_update_value_from_trigger((NEW.PersonLink = -1), 'IsPreferredName', ROWID) WHERE ROWID = NEW.ROWID; END;
INSERT INTO ABStore (ROWID, Name, Type, guid) VALUES (1, 'Local', 0, 'S1');
INSERT INTO ABMultiValueLabel (rowid, value) VALUES (1, '_$!<Mobile>!$_'), (2, '_$!<Home>!$_');
INSERT INTO ABPerson (ROWID, First, Last, CreationDate, ModificationDate, StoreID, guid) VALUES
 (1, 'Alice', 'Jones', 700000000, 700000000, 1, 'P1'),
 (2, 'Bob', 'Brown', 700000010, 700000010, 1, 'P2'),
 (3, 'Dan', 'Grey', 700000020, 700000020, 1, 'P3');
INSERT INTO ABMultiValue (UID, record_id, property, identifier, label, value, guid) VALUES
 (1, 1, 3, 0, 1, '+447700900111', 'M1'),
 (2, 2, 3, 0, 1, '+447700900222', 'M2'),
 (3, 3, 4, 0, 2, 'dan@example.org', 'M3');
