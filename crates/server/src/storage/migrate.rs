//! Numbered migrations, applied in order on open, each in its own transaction and recorded in
//! `schema_migrations`. The SQL lives in `migrations/<backend>/NNNN_name.sql`, embedded here
//! so a binary carries its schema; both backends have the same numbers with the same meaning.

/// One migration: its number, its name and its SQL.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its number (the file's `NNNN`).
    pub version: i64,
    /// The rest of the file name.
    pub name: &'static str,
    /// The statements, separated by `;`.
    pub sql: &'static str,
}

/// SQLite's migrations, in order (a test holds this list equal to `migrations/sqlite/`).
pub const SQLITE_MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "coupons",
        sql: include_str!("../../migrations/sqlite/0001_coupons.sql"),
    },
    Migration {
        version: 2,
        name: "exchange_rates",
        sql: include_str!("../../migrations/sqlite/0002_exchange_rates.sql"),
    },
    Migration {
        version: 3,
        name: "link_cache",
        sql: include_str!("../../migrations/sqlite/0003_link_cache.sql"),
    },
    Migration {
        version: 4,
        name: "usage",
        sql: include_str!("../../migrations/sqlite/0004_usage.sql"),
    },
];

/// PostgreSQL's migrations: the same numbers and meaning as SQLite's, PostgreSQL's types.
pub const POSTGRES_MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "coupons",
        sql: include_str!("../../migrations/postgres/0001_coupons.sql"),
    },
    Migration {
        version: 2,
        name: "exchange_rates",
        sql: include_str!("../../migrations/postgres/0002_exchange_rates.sql"),
    },
    Migration {
        version: 3,
        name: "link_cache",
        sql: include_str!("../../migrations/postgres/0003_link_cache.sql"),
    },
    Migration {
        version: 4,
        name: "usage",
        sql: include_str!("../../migrations/postgres/0004_usage.sql"),
    },
];

/// The table that records which migrations were applied.
pub(super) const LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    applied_at BIGINT NOT NULL
)";

/// A migration's statements, one by one (comments and blank ones dropped): a portable way to
/// run a file, since not every driver runs several statements in one call.
pub(super) fn statements(sql: &str) -> Vec<String> {
    // Comments go first: one may hold a `;`. No statement of ours holds one in a string.
    let code: Vec<&str> = sql
        .lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .collect();
    code.join("\n")
        .split(';')
        .map(str::trim)
        .filter(|statement| !statement.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed_equals_folder(folder: &str, migrations: &[Migration]) {
        let dir = format!("{}/migrations/{folder}", env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("migrations folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let listed: Vec<String> = migrations
            .iter()
            .map(|m| format!("{:04}_{}.sql", m.version, m.name))
            .collect();
        assert_eq!(listed, files, "{folder}");
        for (n, m) in migrations.iter().enumerate() {
            assert_eq!(
                m.version,
                n as i64 + 1,
                "{folder}: numbered from 1 without gaps"
            );
        }
    }

    #[test]
    fn each_list_is_its_folder() {
        listed_equals_folder("sqlite", SQLITE_MIGRATIONS);
        listed_equals_folder("postgres", POSTGRES_MIGRATIONS);
    }

    #[test]
    fn both_backends_have_the_same_migrations() {
        let names = |list: &[Migration]| -> Vec<(i64, &str)> {
            list.iter().map(|m| (m.version, m.name)).collect()
        };
        assert_eq!(names(SQLITE_MIGRATIONS), names(POSTGRES_MIGRATIONS));
    }

    #[test]
    fn statements_are_split_without_comments() {
        let split =
            statements("-- a comment; with a semicolon\nCREATE TABLE a (x INT);\n\n-- end\n");
        assert_eq!(split, ["CREATE TABLE a (x INT)"]);
    }
}
