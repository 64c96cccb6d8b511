//! The examples against baresip, a real softphone (libre's SIP stack; Debian's
//! `baresip-core`, which `.ci/run` installs): baresip dials `invite_server`, and
//! `invite_client` calls baresip, which answers automatically (`;answermode=auto`). baresip
//! runs headless from a config directory of its own (`-f`), on 127.0.0.1, and quits after
//! `-t` seconds. Without baresip the tests print that they were skipped and pass.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn example(name: &str) -> PathBuf {
    let deps = std::env::current_exe().unwrap();
    let path = deps
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} was not built", path.display());
    path
}

fn baresip_available() -> bool {
    let found = Command::new("baresip")
        .arg("-h")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        eprintln!("skipped: baresip is not installed (Debian package baresip-core)");
    }
    found
}

fn free_port() -> u16 {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.local_addr().unwrap().port()
}

/// Kills a child process when dropped, and removes a directory.
struct Killed(Child, Option<PathBuf>);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        if let Some(dir) = &self.1 {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl Killed {
    /// Waits up to `within` for the exit: its success and its stdout.
    fn output_within(&mut self, within: Duration) -> (Option<bool>, String) {
        let until = Instant::now() + within;
        let mut status = None;
        while Instant::now() < until {
            if let Some(s) = self.0.try_wait().unwrap() {
                status = Some(s.success());
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
        let mut out = String::new();
        std::io::Read::read_to_string(self.0.stdout.as_mut().unwrap(), &mut out).unwrap();
        (status, out)
    }
}

/// baresip on 127.0.0.1:`port` with the account `service` (answering calls with
/// `answer`), sine tone out, audio in to a file; `args` after `-f DIR`.
fn baresip(name: &str, port: u16, answer: bool, args: &[&str]) -> Killed {
    let dir = std::env::temp_dir().join(format!("baresip-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let wav = dir.join("out.wav");
    let wav = wav.display();
    // ausine makes 48 kHz stereo only: baresip resamples to the codec's 8 kHz mono.
    let config = format!(
        "sip_listen 127.0.0.1:{port}\nmodule_path /usr/lib/baresip/modules\nmodule g711.so\n\
         module ausine.so\nmodule aufile.so\nmodule account.so\nmodule menu.so\n\
         audio_source ausine,440\naudio_player aufile,{wav}\naudio_alert aufile,{wav}\n\
         ausrc_srate 48000\nauplay_srate 48000\nausrc_channels 2\nauplay_channels 2\n"
    );
    std::fs::write(dir.join("config"), config).unwrap();
    let mode = if answer { ";answermode=auto" } else { "" };
    let account = format!("<sip:service@127.0.0.1>;regint=0{mode}\n");
    std::fs::write(dir.join("accounts"), account).unwrap();
    let child = Command::new("baresip")
        .arg("-f")
        .arg(&dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("baresip starts");
    Killed(child, Some(dir))
}

/// baresip dials `invite_server --once`: it hears 100 (the server's first step takes 300
/// ms, so the transaction sends one after 200 ms), both 182 Queued and the 180, the call is
/// established, and when baresip quits it hangs up; the server exits 0 after that BYE.
#[test]
fn baresip_calls_invite_server() {
    if !baresip_available() {
        return;
    }
    let server_port = free_port();
    let address = format!("127.0.0.1:{server_port}");
    let server = Command::new(example("invite_server"))
        .args([address.as_str(), "--once", "--step", "300"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("invite_server starts");
    let mut server = Killed(server, None);
    let dial = format!("/dial sip:queue@{address}");
    let mut phone = baresip("dials", free_port(), false, &["-e", &dial, "-t", "4"]);
    let (_, heard) = phone.output_within(Duration::from_secs(15));
    let (server_ended, out) = server.output_within(Duration::from_secs(10));
    let progress: Vec<&str> = heard
        .lines()
        .filter_map(|l| l.split_once("SIP Progress: ").map(|(_, p)| p))
        .collect();
    assert_eq!(
        progress,
        [
            "100 Trying (/)",
            "182 2 calls queued; expected waiting time is 1 minute (/)",
            "182 1 call queued; expected waiting time is 1 minute (/)",
            "180 Ringing (/)"
        ],
        "baresip printed:\n{heard}"
    );
    assert!(heard.contains("Call established"), "{heard}");
    assert_eq!(
        server_ended,
        Some(true),
        "invite_server:\n{out}\nbaresip:\n{heard}"
    );
}

/// `invite_client` calls baresip, which answers at once: the client prints the README's
/// lines for the 180 and the 200 (baresip's reason is `Answering`), ACKs, hangs up, and exits 0
/// when baresip answers the BYE.
#[test]
fn invite_client_calls_baresip() {
    if !baresip_available() {
        return;
    }
    let port = free_port();
    let mut phone = baresip("answers", port, true, &["-t", "8"]);
    std::thread::sleep(Duration::from_millis(1500)); // "baresip is ready"
    let client = Command::new(example("invite_client"))
        .arg(format!("127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("invite_client starts");
    let (called, lines) = Killed(client, None).output_within(Duration::from_secs(10));
    let (_, heard) = phone.output_within(Duration::from_secs(10));
    assert_eq!(
        called,
        Some(true),
        "invite_client:\n{lines}\nbaresip:\n{heard}"
    );
    let lines: Vec<&str> = lines.lines().collect();
    assert!(lines.ends_with(&["200 OK -> on_ok (BYE)"]), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("200 ") && l.ends_with(" -> on_ok")),
        "{lines:?}"
    );
    assert!(heard.contains("Call established"), "{heard}");
}
