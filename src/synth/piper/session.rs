//! Running a Piper model with ONNX Runtime: a pool of sessions shared by the synthesis
//! threads.
//!
//! `ort` runs a session through `&mut`, so one session serves one call at a time. The
//! pool holds `sessions` sessions with `intra_threads` threads each; a call takes a free
//! session, waiting if none is. Which split is fastest was measured (`cargo bench --bench
//! piper`, see `docs/design.md`): on 2 cores, one single-threaded session per synthesis
//! thread (chunk-level parallelism) beats one session with 2 intra-op threads, and both
//! beat two sessions of 2 threads (oversubscription).

use std::path::Path;
use std::sync::{Condvar, Mutex};

use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use ort::value::Tensor;

use super::config::InferenceSettings;

/// Most sessions a pool holds by default. Each session of a medium voice costs about
/// 300 MB at its peak (its own weights and activation arena: 380 MB for one session,
/// 695 MB for two, measured on the joe voice), so a 16-core machine gets 4 sessions of 4
/// intra-op threads (about 1.3 GB) rather than 16 of one (about 5 GB).
pub const MAX_SESSIONS: usize = 4;

/// How sessions share the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolShape {
    /// Sessions (calls that can run at once).
    pub sessions: usize,
    /// ONNX Runtime intra-op threads per session.
    pub intra_threads: usize,
}

impl PoolShape {
    /// The default for `threads` synthesis threads: one single-threaded session per
    /// thread, up to [`MAX_SESSIONS`]; past that, the threads are shared out as intra-op
    /// threads (16 threads: 4 sessions of 4). `ARTICAST_PIPER_SESSIONS` and
    /// `ARTICAST_PIPER_INTRA_THREADS` override it (the benchmark compares the splits).
    pub fn for_threads(threads: usize) -> PoolShape {
        let env = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|n| *n > 0)
        };
        let threads = threads.max(1);
        let sessions = env("ARTICAST_PIPER_SESSIONS").unwrap_or(threads.min(MAX_SESSIONS));
        PoolShape {
            sessions,
            intra_threads: env("ARTICAST_PIPER_INTRA_THREADS")
                .unwrap_or((threads / sessions).max(1)),
        }
    }
}

/// Sessions of one model.
pub struct SessionPool {
    free: Mutex<Vec<Session>>,
    returned: Condvar,
    /// The pool's shape.
    pub shape: PoolShape,
}

/// Why inference failed.
pub type InferError = String;

impl SessionPool {
    /// Loads `model` into `shape.sessions` sessions.
    pub fn load(
        env: &ort::environment::Environment,
        model: &Path,
        shape: PoolShape,
    ) -> Result<SessionPool, InferError> {
        let bytes =
            std::fs::read(model).map_err(|e| format!("cannot read {}: {e}", model.display()))?;
        let load = || {
            Session::builder(env)
                .and_then(|b| {
                    b.with_optimization_level(GraphOptimizationLevel::Level3)
                        .map_err(Into::into)
                })
                .and_then(|b| {
                    b.with_intra_threads(shape.intra_threads)
                        .map_err(Into::into)
                })
                .and_then(|b| b.with_inter_threads(1).map_err(Into::into))
                .and_then(|mut b| b.commit_from_memory(&bytes))
                .map_err(|e| format!("cannot load the Piper model {}: {e}", model.display()))
        };
        // Each session optimizes the graph on its own (about 0.2 s for a medium voice):
        // load them side by side.
        let sessions: Vec<Session> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..shape.sessions).map(|_| scope.spawn(load)).collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err("a session loader panicked".to_string()))
                })
                .collect::<Result<Vec<_>, _>>()
        })?;
        Ok(SessionPool {
            free: Mutex::new(sessions),
            returned: Condvar::new(),
            shape,
        })
    }

    /// Runs the model on one sentence's ids; returns samples in [-1, 1].
    pub fn infer(
        &self,
        ids: &[i64],
        scales: InferenceSettings,
        speaker: Option<i64>,
    ) -> Result<Vec<f32>, InferError> {
        let mut session = {
            let mut free = self
                .free
                .lock()
                .map_err(|_| "session pool poisoned".to_string())?;
            loop {
                if let Some(s) = free.pop() {
                    break s;
                }
                free = self
                    .returned
                    .wait(free)
                    .map_err(|_| "session pool poisoned".to_string())?;
            }
        };
        let result = run(&mut session, ids, scales, speaker);
        if let Ok(mut free) = self.free.lock() {
            free.push(session);
        }
        self.returned.notify_one();
        result
    }
}

fn run(
    session: &mut Session,
    ids: &[i64],
    scales: InferenceSettings,
    speaker: Option<i64>,
) -> Result<Vec<f32>, InferError> {
    let err = |e: ort::Error| format!("ONNX Runtime: {e}");
    let input =
        Tensor::from_array(([1usize, ids.len()], ids.to_vec().into_boxed_slice())).map_err(err)?;
    let lengths =
        Tensor::from_array(([1usize], vec![ids.len() as i64].into_boxed_slice())).map_err(err)?;
    let scales = Tensor::from_array((
        [3usize],
        vec![scales.noise_scale, scales.length_scale, scales.noise_w].into_boxed_slice(),
    ))
    .map_err(err)?;
    let outputs = match speaker {
        Some(sid) => {
            let sid = Tensor::from_array(([1usize], vec![sid].into_boxed_slice())).map_err(err)?;
            session
                .run(ort::inputs!["input" => input, "input_lengths" => lengths, "scales" => scales, "sid" => sid])
                .map_err(err)?
        }
        None => session
            .run(ort::inputs!["input" => input, "input_lengths" => lengths, "scales" => scales])
            .map_err(err)?,
    };
    let (_, audio) = outputs[0].try_extract_tensor::<f32>().map_err(err)?;
    Ok(audio.iter().map(|s| s.clamp(-1.0, 1.0)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_become_sessions_then_intra_op_threads() {
        if std::env::var_os("ARTICAST_PIPER_SESSIONS").is_some()
            || std::env::var_os("ARTICAST_PIPER_INTRA_THREADS").is_some()
        {
            return;
        }
        let shape = |t| {
            let s = PoolShape::for_threads(t);
            (s.sessions, s.intra_threads)
        };
        assert_eq!(shape(0), (1, 1));
        assert_eq!(shape(2), (2, 1));
        assert_eq!(shape(4), (4, 1));
        assert_eq!(shape(16), (4, 4));
        assert_eq!(shape(6), (4, 1));
    }
}
