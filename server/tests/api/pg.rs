//! A throw-away PostgreSQL server for the tests: Debian's server binaries
//! (`/usr/lib/postgresql/<version>/bin`, installed by `scripts/test` when missing), a fresh
//! cluster in a temporary directory, listening on loopback only, stopped when dropped. As
//! root the cluster runs as the `postgres` user (initdb refuses root). Each test gets its own
//! database. `LOOPDESK_TEST_POSTGRES=postgres://…` points the tests at a running server
//! instead.

use std::path::PathBuf;
use std::process::Command;

/// A running server the tests may create databases on.
pub struct Server {
    /// `postgres://user@host:port` (no database).
    base: String,
    /// The cluster this process started, if any (stopped when the server is dropped).
    _cluster: Option<Cluster>,
    /// Databases made on a shared server (dropped with this value, so a long test run does
    /// not fill the disk).
    made: std::sync::Mutex<Vec<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if self._cluster.is_some() {
            return; // the whole cluster goes
        }
        let made = self.made.lock().map(|m| m.clone()).unwrap_or_default();
        for name in made {
            // psql is the client of the server package the tests use.
            let _ = Command::new("psql")
                .arg(format!("{}/postgres", self.base))
                .args([
                    "-q",
                    "-c",
                    &format!("drop database if exists {name} with (force)"),
                ])
                .output();
        }
    }
}

struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    _dir: tempfile::TempDir,
    run_as: Option<&'static str>,
}

fn server_bin() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    found.retain(|p| p.join("initdb").exists() && p.join("pg_ctl").exists());
    found.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    found.pop().expect(
        "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: \
         run scripts/test (it installs Debian's postgresql package) or set \
         LOOPDESK_TEST_POSTGRES=postgres://… to a running server",
    )
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Cluster {
    fn run(&self, program: &str, args: &[&str]) -> std::process::Output {
        let path = self.bin.join(program);
        let mut cmd = match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&path);
                c
            }
            None => Command::new(&path),
        };
        cmd.args(args)
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data.display().to_string();
        self.run("pg_ctl", &["stop", "-D", &data, "-m", "immediate", "-s"]);
    }
}

impl Server {
    /// The server of `LOOPDESK_TEST_POSTGRES`, or a new cluster.
    pub fn start() -> Server {
        if let Ok(url) = std::env::var("LOOPDESK_TEST_POSTGRES") {
            return Server {
                base: url.trim_end_matches('/').to_owned(),
                _cluster: None,
                made: Default::default(),
            };
        }
        let bin = server_bin();
        let dir = tempfile::Builder::new()
            .prefix("loopdesk-pg")
            .tempdir()
            .unwrap();
        let data = dir.path().join("data");
        let run_as = is_root().then_some("postgres");
        if let Some(user) = run_as {
            let status = Command::new("chown")
                .args([user, &dir.path().display().to_string()])
                .status()
                .unwrap();
            assert!(status.success(), "chown {user} {}", dir.path().display());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let cluster = Cluster {
            bin,
            data: data.clone(),
            _dir: dir,
            run_as,
        };
        let data_s = data.display().to_string();
        let out = cluster.run(
            "initdb",
            &[
                "-D",
                &data_s,
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let socket_dir = cluster
            .data
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let options = format!(
            "-p {port} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off"
        );
        let log = format!("{socket_dir}/server.log");
        let out = cluster.run(
            "pg_ctl",
            &[
                "start", "-D", &data_s, "-w", "-s", "-l", &log, "-o", &options,
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl start: {} {}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        Server {
            base: format!("postgres://postgres@127.0.0.1:{port}"),
            _cluster: Some(cluster),
            made: Default::default(),
        }
    }

    /// A new, empty database; its URL.
    pub async fn fresh_database(&self) -> String {
        use sqlx::Connection;
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(&format!("{}/postgres", self.base))
            .await
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {}: {e}", self.base));
        sqlx::query(&format!("create database {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        if let Ok(mut made) = self.made.lock() {
            made.push(name.clone());
        }
        format!("{}/{name}", self.base)
    }
}
