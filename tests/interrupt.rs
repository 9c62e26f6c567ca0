//! An interrupted render leaves nothing behind: not its scratch folder of clips, not a
//! half-written episode; and a render killed outright has its scratch folder removed by
//! the next run.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Env;

/// An article long enough that it is still rendering when the signal comes.
fn long_article(path: &Path) {
    let mut text = String::from("Un long article\n\n");
    for i in 0..400 {
        text.push_str(&format!(
            "Voici la phrase numéro {i}, qui parle de villes lentes et de rues calmes. "
        ));
        if i % 5 == 4 {
            text.push_str("\n\n");
        }
    }
    std::fs::write(path, text).unwrap();
}

fn scratch_folders(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("articast"))
        .collect()
}

/// Starts a render whose temporary folder is `tmp`, and waits until clips are spilled.
fn start_render(env: &Env, tmp: &Path) -> Child {
    let article = env.path("long.txt");
    long_article(&article);
    let cmd = env.cmd();
    let mut child = Command::new(cmd.get_program())
        .envs(cmd.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
        .env("TMPDIR", tmp)
        .args([
            "render",
            "--engine",
            "builtin",
            "--no-cache",
            "-j",
            "1",
            "-q",
        ])
        .arg(&article)
        .arg("-o")
        .arg(env.path("ep.mp3"))
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let spilled = scratch_folders(tmp).iter().any(|d| {
            std::fs::read_dir(tmp.join(d))
                .map(|mut files| files.next().is_some())
                .unwrap_or(false)
        });
        if spilled {
            return child;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the render ended before it was interrupted"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no clip spilled"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn only_the_article_is_left(env: &Env) {
    let files: Vec<String> = env.files().into_iter().filter(|f| f != "tmp").collect();
    assert_eq!(files, vec!["long.txt"], "outputs or temporaries left");
}

#[test]
fn sigint_and_sigterm_clean_up_and_exit_with_the_signal() {
    for (name, code) in [("INT", 130), ("TERM", 143)] {
        let env = Env::new();
        let tmp = env.path("tmp");
        std::fs::create_dir(&tmp).unwrap();
        let child = start_render(&env, &tmp);
        signal(&child, name);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "SIG{name}: {stderr}");
        assert!(stderr.contains("interrupted"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(scratch_folders(&tmp), Vec::<String>::new(), "SIG{name}");
        only_the_article_is_left(&env);
    }
}

#[test]
fn a_killed_render_leaves_its_folder_to_the_next_run() {
    let env = Env::new();
    let tmp = env.path("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let mut child = start_render(&env, &tmp);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(scratch_folders(&tmp).len(), 1, "SIGKILL cannot be caught");
    let article = env.path("short.txt");
    std::fs::write(&article, "Titre\n\nUne phrase courte pour finir.\n").unwrap();
    env.cmd()
        .env("TMPDIR", &tmp)
        .args(["render", "--engine", "builtin", "-q", "--no-sidecars"])
        .arg(&article)
        .arg("-o")
        .arg(env.path("short.wav"))
        .assert()
        .success();
    assert_eq!(scratch_folders(&tmp), Vec::<String>::new());
}

/// Ctrl-C in the middle of a batch: finished episodes stay, nothing half-written is
/// left at a final path, the manifest reads back and names only whole episodes, and the
/// next run renders only what the first did not finish.
#[test]
fn an_interrupted_batch_keeps_what_it_finished_and_the_next_run_resumes() {
    use std::io::{BufRead, BufReader};
    let env = Env::new();
    let articles = env.path("articles");
    std::fs::create_dir(&articles).unwrap();
    let count = 12;
    for n in 0..count {
        let mut text = format!("Article {n}\n\n");
        for i in 0..30 {
            text.push_str(&format!(
                "Phrase {i} de l'article {n}, sur des rues calmes. "
            ));
        }
        std::fs::write(articles.join(format!("a{n:02}.txt")), text).unwrap();
    }
    let out = env.path("public");
    let cmd = env.cmd();
    let mut child = Command::new(cmd.get_program())
        .envs(cmd.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
        .args(["batch", "--engine", "builtin", "-j", "1", "--lang", "fr"])
        .arg(&articles)
        .arg("--out")
        .arg(&out)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first finished article, then interrupt.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "ended early: {seen}"
        );
        seen.push_str(&line);
        if line.starts_with("wrote") {
            break;
        }
    }
    signal(&child, "INT");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{seen}{rest}");
    assert!(!rest.contains("panicked"), "{rest}");

    let files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !files.iter().any(|f| f.ends_with(".part")),
        "half-written files: {files:?}"
    );
    let manifest = articast::batch::manifest::Manifest::merged(&out).unwrap();
    let done = manifest.entries.len();
    assert!(done >= 1 && done < count, "{done} of {count} finished");
    let episodes: Vec<&String> = files.iter().filter(|f| f.ends_with(".mp3")).collect();
    assert_eq!(
        episodes.len(),
        done,
        "every episode in the manifest, and only those"
    );
    for entry in manifest.entries.values() {
        let report = entry.report.as_ref().unwrap();
        let bytes = std::fs::metadata(out.join(&report.output)).unwrap().len();
        assert_eq!(bytes, report.bytes, "{}", report.output.display());
    }

    let again = env
        .cmd()
        .args([
            "batch", "--engine", "builtin", "-q", "--json", "--lang", "fr",
        ])
        .arg(&articles)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&again.get_output().stdout).unwrap();
    assert_eq!(report["unchanged"], done as u64, "{report}");
    assert_eq!(report["rendered"], (count - done) as u64, "{report}");
}
