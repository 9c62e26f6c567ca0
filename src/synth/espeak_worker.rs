//! Worker processes for the system eSpeak NG: `articast espeak-worker` loads libespeak-ng
//! once and serves chunks over its standard input and output (each spoken by a fork of
//! itself, so that no chunk hears the previous one: see [`super::espeak_isolated`]), and
//! [`WorkerPool`] keeps one such process per synthesis thread.
//!
//! Protocol (little-endian): a request is a `u32` length and that many bytes of JSON
//! (voice settings and text). A reply is a status byte; `0` is followed by the sample
//! rate (`u32`), a sample count (`u32`) and the 16-bit samples, `1` by a `u32` length and
//! a UTF-8 error message. On start the worker sends a hello in the same framing: status
//! `0`, the sample rate, and the library version as a length-prefixed string, or status
//! `1` and why it cannot work.

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::espeak::Prosody;
use super::espeak_isolated::Speaker;
use super::espeak_lib::LibEspeak;

/// One request to a worker.
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    prosody: Prosody,
    text: String,
}

fn read_u32(r: &mut impl Read) -> std::io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn read_string(r: &mut impl Read) -> std::io::Result<String> {
    let len = read_u32(r)? as usize;
    if len > 64 * 1024 * 1024 {
        return Err(std::io::Error::other("oversized message"));
    }
    let mut bytes = vec![0u8; len];
    r.read_exact(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn write_string(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    w.write_all(&(s.len() as u32).to_le_bytes())?;
    w.write_all(s.as_bytes())
}

/// Serves requests on standard input until it closes. This is the body of the hidden
/// `articast espeak-worker` command.
pub fn serve() -> std::io::Result<()> {
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut output = BufWriter::new(std::io::stdout().lock());
    let lib = match LibEspeak::load() {
        Ok(lib) => lib,
        Err(message) => {
            output.write_all(&[1])?;
            write_string(&mut output, &message)?;
            return output.flush();
        }
    };
    output.write_all(&[0])?;
    output.write_all(&lib.sample_rate.to_le_bytes())?;
    write_string(&mut output, &lib.version)?;
    output.flush()?;
    // Each utterance is spoken by a fresh fork of this process (see `espeak_isolated`).
    let mut speaker = Speaker::new(&lib);
    loop {
        let json = match read_string(&mut input) {
            Ok(j) => j,
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        };
        let result = serde_json::from_str::<Request>(&json)
            .map_err(|e| format!("bad request: {e}"))
            .and_then(|req| speaker.speak(&req.prosody, &req.text));
        output.write_all(&encode_reply(result, lib.sample_rate))?;
        output.flush()?;
        // The next child is forked while the renderer handles this clip.
        speaker.prepare();
    }
}

/// A reply in the protocol's framing.
fn encode_reply(result: Result<Vec<i16>, String>, rate: u32) -> Vec<u8> {
    let mut out = Vec::new();
    match result {
        Ok(samples) => {
            out.push(0);
            out.extend_from_slice(&rate.to_le_bytes());
            out.extend_from_slice(&(samples.len() as u32).to_le_bytes());
            out.reserve(samples.len() * 2);
            for s in samples {
                out.extend_from_slice(&s.to_le_bytes());
            }
        }
        Err(message) => {
            out.push(1);
            out.extend_from_slice(&(message.len() as u32).to_le_bytes());
            out.extend_from_slice(message.as_bytes());
        }
    }
    out
}

/// A running worker process.
struct Worker {
    child: Child,
    stdin: BufWriter<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Worker {
    /// Starts a worker and reads its hello: (worker, sample rate, version).
    fn spawn(program: &Path) -> Result<(Worker, u32, String), String> {
        let mut child = Command::new(program)
            .arg("espeak-worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        let stdin = BufWriter::new(child.stdin.take().ok_or("no worker stdin")?);
        let mut stdout = BufReader::new(child.stdout.take().ok_or("no worker stdout")?);
        let hello = (|| -> std::io::Result<Result<(u32, String), String>> {
            let mut status = [0u8; 1];
            stdout.read_exact(&mut status)?;
            if status[0] != 0 {
                return Ok(Err(read_string(&mut stdout)?));
            }
            let rate = read_u32(&mut stdout)?;
            Ok(Ok((rate, read_string(&mut stdout)?)))
        })();
        match hello {
            Ok(Ok((rate, version))) => Ok((
                Worker {
                    child,
                    stdin,
                    stdout,
                },
                rate,
                version,
            )),
            Ok(Err(message)) => {
                let _ = child.wait();
                Err(message)
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("the worker did not start: {e}"))
            }
        }
    }

    /// One request and its reply. An `Err` of the outer result means the worker is broken.
    fn request(&mut self, req: &Request) -> std::io::Result<Result<(u32, Vec<i16>), String>> {
        let json = serde_json::to_string(req).map_err(std::io::Error::other)?;
        write_string(&mut self.stdin, &json)?;
        self.stdin.flush()?;
        let mut status = [0u8; 1];
        self.stdout.read_exact(&mut status)?;
        if status[0] != 0 {
            return Ok(Err(read_string(&mut self.stdout)?));
        }
        let rate = read_u32(&mut self.stdout)?;
        let count = read_u32(&mut self.stdout)? as usize;
        let mut bytes = vec![0u8; count * 2];
        self.stdout.read_exact(&mut bytes)?;
        Ok(Ok((
            rate,
            bytes
                .chunks_exact(2)
                .map(|b| i16::from_le_bytes([b[0], b[1]]))
                .collect(),
        )))
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing stdin ends the worker's loop; reap it so no zombie is left.
        let _ = self.stdin.flush();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Worker processes shared by synthesis threads: a thread takes an idle worker (or
/// starts one), sends its chunk, and puts the worker back.
pub struct WorkerPool {
    program: PathBuf,
    idle: Mutex<Vec<Worker>>,
    /// The library's version, from the first worker's hello.
    pub version: String,
    /// Its sample rate.
    pub sample_rate: u32,
}

impl WorkerPool {
    /// Starts a first worker from `program` to check that libespeak-ng loads.
    pub fn start(program: &Path) -> Result<WorkerPool, String> {
        let (worker, sample_rate, version) = Worker::spawn(program)?;
        Ok(WorkerPool {
            program: program.to_path_buf(),
            idle: Mutex::new(vec![worker]),
            version,
            sample_rate,
        })
    }

    /// Synthesizes `text` in a worker: (sample rate, samples). A worker that breaks is
    /// replaced and the chunk tried once more.
    pub fn synthesize(&self, prosody: &Prosody, text: &str) -> Result<(u32, Vec<i16>), String> {
        let request = Request {
            prosody: prosody.clone(),
            text: text.to_string(),
        };
        let mut last_error = String::new();
        for _ in 0..2 {
            let taken = self.idle.lock().map_err(|_| "worker pool poisoned")?.pop();
            let mut worker = match taken {
                Some(w) => w,
                None => Worker::spawn(&self.program)?.0,
            };
            match worker.request(&request) {
                Ok(reply) => {
                    if let Ok(mut idle) = self.idle.lock() {
                        idle.push(worker);
                    }
                    return reply;
                }
                Err(e) => last_error = format!("worker failed: {e}"),
            }
        }
        Err(last_error)
    }
}
