//! One pristine libespeak-ng per utterance, for the worker processes of the system
//! engine.
//!
//! libespeak-ng carries state from one utterance to the next that no call resets (not
//! even `espeak_ng_Initialize`): the same sentence spoken twice in a row by one process
//! comes out tens of milliseconds longer or shorter, with the tail of what was said
//! before leaking into it. An episode would then depend on which worker got which chunk,
//! that is on the thread count and on timing. So a worker never speaks itself: it loads
//! the voice, and forks a child that waits for the next request, speaks it from that
//! untouched state, hands the samples back through a pipe and exits. The next child is
//! forked as soon as a reply is sent, while the renderer is busy with the clip, so the
//! fork stays off the critical path.
//!
//! Without `fork` (Windows) the worker speaks itself, and its audio may vary slightly
//! with what it said before.

use super::espeak::Prosody;
use super::espeak_lib::LibEspeak;

/// Speaks utterances, each from the same state.
pub struct Speaker<'a> {
    lib: &'a LibEspeak,
    #[cfg(unix)]
    loaded_voice: Option<String>,
    #[cfg(unix)]
    ready: Option<unix::Child>,
}

impl<'a> Speaker<'a> {
    /// A speaker over the loaded library.
    pub fn new(lib: &'a LibEspeak) -> Speaker<'a> {
        Speaker {
            lib,
            #[cfg(unix)]
            loaded_voice: None,
            #[cfg(unix)]
            ready: None,
        }
    }

    /// Synthesizes `text` with `prosody`: 16-bit samples at the library's rate.
    #[cfg(unix)]
    pub fn speak(&mut self, prosody: &Prosody, text: &str) -> Result<Vec<i16>, String> {
        if self.loaded_voice.as_deref() != Some(prosody.voice.as_str()) {
            // A child forked with another voice loaded would have to load this one
            // itself, every time: load it here, once, and fork afresh.
            self.ready = None;
            self.lib.load_voice(&prosody.voice)?;
            self.loaded_voice = Some(prosody.voice.clone());
        }
        self.prepare();
        match self.ready.take() {
            Some(child) => child.speak(prosody, text),
            // No fork to be had (out of processes): speak here rather than fail.
            None => self.lib.synthesize(prosody, text),
        }
    }

    /// Synthesizes `text` with `prosody`: 16-bit samples at the library's rate.
    #[cfg(not(unix))]
    pub fn speak(&mut self, prosody: &Prosody, text: &str) -> Result<Vec<i16>, String> {
        self.lib.synthesize(prosody, text)
    }

    /// Forks the child for the next request, if none is waiting (call it once a reply
    /// is sent, so that the next request finds one ready).
    pub fn prepare(&mut self) {
        #[cfg(unix)]
        if self.ready.is_none() && self.loaded_voice.is_some() {
            self.ready = unix::Child::fork(self.lib);
        }
    }
}

#[cfg(unix)]
mod unix {
    use std::fs::File;
    use std::io::{Read, Write};
    use std::os::fd::FromRawFd;

    use super::super::espeak::Prosody;
    use super::super::espeak_lib::LibEspeak;

    /// A forked child waiting for one request.
    pub struct Child {
        pid: libc::pid_t,
        request: Option<File>,
        reply: File,
    }

    fn pipe() -> Option<(File, File)> {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors pipe() returns.
        if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
            return None;
        }
        // SAFETY: both descriptors are fresh and owned by nothing else.
        Some(unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) })
    }

    impl Child {
        /// Forks a child that will speak one request from the current state.
        pub fn fork(lib: &LibEspeak) -> Option<Child> {
            let (request_read, request_write) = pipe()?;
            let (reply_read, reply_write) = pipe()?;
            // SAFETY: the worker process is single-threaded, so the child may run any
            // code; it leaves through _exit without running the parent's destructors.
            let pid = unsafe { libc::fork() };
            if pid < 0 {
                return None;
            }
            if pid == 0 {
                drop(request_write);
                drop(reply_read);
                let code = serve_one(lib, request_read, reply_write);
                // SAFETY: ends the child at once.
                unsafe { libc::_exit(code) };
            }
            drop(request_read);
            drop(reply_write);
            Some(Child {
                pid,
                request: Some(request_write),
                reply: reply_read,
            })
        }

        /// Sends the request and reads the samples back.
        pub fn speak(mut self, prosody: &Prosody, text: &str) -> Result<Vec<i16>, String> {
            let request = serde_json::to_vec(&(prosody, text)).map_err(|e| e.to_string())?;
            let sent = self.request.take().map(|mut pipe| {
                pipe.write_all(&(request.len() as u32).to_le_bytes())?;
                pipe.write_all(&request)
            });
            let mut reply = Vec::new();
            let read = self.reply.read_to_end(&mut reply);
            let status = self.wait();
            let clean = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
            if !matches!(sent, Some(Ok(()))) || read.is_err() || !clean {
                return Err(if libc::WIFSIGNALED(status) {
                    format!("eSpeak NG crashed (signal {})", libc::WTERMSIG(status))
                } else {
                    "eSpeak NG stopped without an answer".to_string()
                });
            }
            decode(&reply)
        }

        fn wait(&mut self) -> libc::c_int {
            let mut status = 0;
            // SAFETY: waiting for our own child, once.
            unsafe { libc::waitpid(self.pid, &mut status, 0) };
            self.pid = 0;
            status
        }
    }

    impl Drop for Child {
        fn drop(&mut self) {
            if self.pid > 0 {
                // An unused child: closing its request pipe ends it; reap it.
                self.request = None;
                self.wait();
            }
        }
    }

    /// The child's whole life: one request in, one reply out; the exit code.
    fn serve_one(lib: &LibEspeak, mut request: File, mut reply: File) -> i32 {
        let mut len = [0u8; 4];
        if request.read_exact(&mut len).is_err() {
            return 0; // not needed after all
        }
        let mut body = vec![0u8; u32::from_le_bytes(len) as usize];
        if request.read_exact(&mut body).is_err() {
            return 1;
        }
        let out = match serde_json::from_slice::<(Prosody, String)>(&body) {
            Ok((prosody, text)) => encode(lib.synthesize(&prosody, &text)),
            Err(e) => encode(Err(format!("bad request: {e}"))),
        };
        if reply.write_all(&out).is_err() {
            return 1;
        }
        0
    }

    fn encode(result: Result<Vec<i16>, String>) -> Vec<u8> {
        match result {
            Ok(samples) => {
                let mut out = Vec::with_capacity(1 + samples.len() * 2);
                out.push(0);
                for s in samples {
                    out.extend_from_slice(&s.to_le_bytes());
                }
                out
            }
            Err(message) => {
                let mut out = vec![1];
                out.extend_from_slice(message.as_bytes());
                out
            }
        }
    }

    fn decode(reply: &[u8]) -> Result<Vec<i16>, String> {
        match reply.split_first() {
            Some((0, samples)) => Ok(samples
                .chunks_exact(2)
                .map(|b| i16::from_le_bytes([b[0], b[1]]))
                .collect()),
            Some((_, message)) => Err(String::from_utf8_lossy(message).into_owned()),
            None => Err("eSpeak NG gave an empty answer".into()),
        }
    }
}
