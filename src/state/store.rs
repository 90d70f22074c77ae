//! Opening a state file: one write transaction for the whole run, taken before anything
//! is read, so that two runs on one file follow each other and a killed run leaves the
//! file as it was (SQLite's rollback journal undoes the unfinished transaction).

use super::StateError;
use super::schema::{self, APPLICATION_ID};
use rusqlite::{Connection, OpenFlags};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// The first 16 bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A state file held for one run: the write transaction is open until [`Store::commit`];
/// dropped without it, nothing the run wrote is kept.
pub struct Store {
    pub(super) conn: Connection,
    /// The file as errors name it.
    pub(super) path: String,
    pub(super) wait: Duration,
}

impl Store {
    /// Opens (or creates) the state at `path` and takes its write lock, waiting up to
    /// `wait` for another run to finish. A file that is not a reglament state of a
    /// version this build reads is refused and left untouched.
    pub fn open(path: &Path, wait: Duration) -> Result<Store, StateError> {
        let name = path.display().to_string();
        refuse_non_sqlite(path, &name)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(StateError::sql(&name, "open", wait))?;
        conn.busy_timeout(wait)
            .map_err(StateError::sql(&name, "open", wait))?;
        let store = Store {
            conn,
            path: name,
            wait,
        };
        // A run is one transaction: its changed pages stay in memory until the commit
        // (up to 256 MiB, taken only as needed) instead of being spilled to the file
        // halfway, each spill a journal sync.
        store.exec("open", "PRAGMA cache_size = -262144")?;
        store.exec("begin", "BEGIN IMMEDIATE")?;
        store.check_and_migrate()?;
        Ok(store)
    }

    /// Makes the run's changes the state, all at once.
    pub fn commit(self) -> Result<(), StateError> {
        self.exec("commit", "COMMIT")
    }

    /// The file as errors name it.
    pub fn path(&self) -> &str {
        &self.path
    }

    pub(super) fn exec(&self, step: &'static str, sql: &str) -> Result<(), StateError> {
        self.conn.execute_batch(sql).map_err(self.err(step))
    }

    pub(super) fn err(&self, step: &'static str) -> impl FnOnce(rusqlite::Error) -> StateError {
        StateError::sql(&self.path, step, self.wait)
    }

    fn pragma(&self, name: &'static str) -> Result<i64, StateError> {
        self.conn
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .map_err(self.err(name))
    }

    /// A new file gets the schema; a reglament state of an older version is migrated; any
    /// other file is refused (the transaction is rolled back: nothing was written).
    fn check_and_migrate(&self) -> Result<(), StateError> {
        let app = self.pragma("application_id")?;
        let version = self.pragma("user_version")?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(self.err("read the schema"))?;
        let is_new = app == 0 && version == 0 && tables == 0;
        if !is_new && app != i64::from(APPLICATION_ID) {
            return Err(StateError::Foreign {
                path: self.path.clone(),
                found: i32::try_from(app).unwrap_or(-1),
            });
        }
        let supported = schema::current();
        if version > supported {
            return Err(StateError::Newer {
                path: self.path.clone(),
                found: version,
                supported,
            });
        }
        let from = usize::try_from(version).unwrap_or(0);
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(from) {
            self.exec("migrate", sql)?;
            self.exec("migrate", &format!("PRAGMA user_version = {}", i + 1))?;
        }
        if is_new {
            self.exec(
                "create",
                &format!("PRAGMA application_id = {APPLICATION_ID}"),
            )?;
        }
        Ok(())
    }
}

/// A file that exists, is not empty and does not start as an SQLite database does is not
/// opened at all (SQLite would only find out on the first read).
fn refuse_non_sqlite(path: &Path, name: &str) -> Result<(), StateError> {
    let Ok(mut f) = std::fs::File::open(path) else {
        return Ok(()); // absent (created) or unreadable (SQLite says why)
    };
    let mut head = Vec::with_capacity(16);
    let read = (&mut f).take(16).read_to_end(&mut head);
    match read {
        Ok(0) => Ok(()),
        Ok(_) if head.as_slice() == SQLITE_HEADER => Ok(()),
        Ok(_) => Err(StateError::NotSqlite {
            path: name.to_owned(),
        }),
        Err(e) => Err(StateError::Invalid {
            path: name.to_owned(),
            detail: e.to_string(),
        }),
    }
}
