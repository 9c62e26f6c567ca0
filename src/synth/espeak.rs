//! The `espeak` backend: eSpeak NG, from the system when installed, else built in.
//!
//! The system engine runs in worker processes (`articast espeak-worker`, see
//! [`super::espeak_worker`]), one per synthesis thread, each loading libespeak-ng once:
//! libespeak-ng keeps global state, so processes are what lets it run in parallel. When
//! no worker program is given (library users) or libespeak-ng cannot be loaded, the
//! `espeak-ng` program is run once per chunk instead, which costs its start-up (about
//! 15 ms, loading the dictionary) every time. The built-in engine is the
//! pure-Rust port in the `espeak-ng` crate, with French, English, German and Spanish
//! data compiled into articast and unpacked on first use into the cache folder
//! (`$ARTICAST_CACHE_DIR/espeak-ng-data-<version>`); it is safe to call from several
//! threads at once. The system engine sounds clearly better (the port's audio has
//! clicks and a buzzier timbre), so `auto` prefers it when present.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::espeak_worker::WorkerPool;
use super::{Backend, BackendId, Clip, Limits, SpeechRequest, SynthError};
use crate::script::Role;
use crate::voice::{EnginePreference, EspeakSettings};

/// Languages whose eSpeak NG data is built into articast.
pub const BUNDLED_LANGUAGES: &[&str] = &["fr", "en", "de", "es"];

/// eSpeak NG's output rate, both engines.
const ESPEAK_RATE: u32 = 22050;

/// Longest chunk sent to eSpeak NG, in characters.
const MAX_CHARS: usize = 500;

/// The eSpeak NG backend.
pub struct EspeakBackend {
    id: BackendId,
    engine: Engine,
}

enum Engine {
    System {
        program: PathBuf,
        roles: RoleSettings<Prosody>,
    },
    Workers {
        pool: WorkerPool,
        roles: RoleSettings<Prosody>,
    },
    Builtin {
        roles: Box<RoleSettings<espeak_ng::EspeakNg>>,
    },
}

/// The engine settings for one voice role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prosody {
    /// eSpeak NG voice name.
    pub voice: String,
    /// Words per minute.
    pub rate: u32,
    /// Base pitch, 0-100.
    pub pitch: u32,
    /// Pitch range, 0-100.
    pub range: u32,
    /// Volume, 0-200.
    pub volume: u32,
}

/// One value per voice role.
struct RoleSettings<T> {
    narrator: T,
    heading: T,
    quote: T,
}

impl<T> RoleSettings<T> {
    fn get(&self, role: Role) -> &T {
        match role {
            Role::Narrator => &self.narrator,
            Role::Heading => &self.heading,
            Role::Quote => &self.quote,
        }
    }

    fn try_map<U, E>(&self, mut f: impl FnMut(&T) -> Result<U, E>) -> Result<RoleSettings<U>, E> {
        Ok(RoleSettings {
            narrator: f(&self.narrator)?,
            heading: f(&self.heading)?,
            quote: f(&self.quote)?,
        })
    }
}

fn prosodies(settings: &EspeakSettings) -> RoleSettings<Prosody> {
    let base = Prosody {
        voice: settings.voice.clone(),
        rate: settings.rate.clamp(80, 450),
        pitch: settings.pitch.min(100),
        range: settings.range.min(100),
        volume: settings.volume.min(200),
    };
    let with = |o: &Option<crate::voice::ProsodyOverride>| {
        let mut p = base.clone();
        if let Some(o) = o {
            p.rate = o.rate.map_or(p.rate, |r| r.clamp(80, 450));
            p.pitch = o.pitch.map_or(p.pitch, |v| v.min(100));
        }
        p
    };
    RoleSettings {
        narrator: base.clone(),
        heading: with(&settings.heading),
        quote: with(&settings.quote),
    }
}

/// The system `espeak-ng` program, if one answers.
#[derive(Debug, Clone)]
pub struct SystemEspeak {
    /// The program to run.
    pub program: PathBuf,
    /// Its version ("1.51").
    pub version: String,
}

/// Finds the system eSpeak NG (`$ARTICAST_ESPEAK_NG`, else `espeak-ng` on `PATH`).
/// The answer is computed once per process.
pub fn system_espeak() -> Option<SystemEspeak> {
    static FOUND: OnceLock<Option<SystemEspeak>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let program = std::env::var_os("ARTICAST_ESPEAK_NG")
                .map_or_else(|| PathBuf::from("espeak-ng"), PathBuf::from);
            let out = Command::new(&program)
                .arg("--version")
                .stdin(Stdio::null())
                .output()
                .ok()?;
            if !out.status.success() {
                return None;
            }
            let text = String::from_utf8_lossy(&out.stdout);
            let version = text
                .split("text-to-speech:")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .unwrap_or("unknown")
                .to_string();
            Some(SystemEspeak { program, version })
        })
        .clone()
}

/// Where the built-in engine's data is unpacked.
pub fn builtin_data_dir() -> PathBuf {
    crate::cache::cache_root().join(format!("espeak-ng-data-{}", espeak_ng::EspeakNg::version()))
}

/// Unpacks the bundled eSpeak NG data once; concurrent first runs are safe because the
/// data is written to a private folder and renamed into place.
pub fn ensure_builtin_data() -> Result<PathBuf, SynthError> {
    let dir = builtin_data_dir();
    let marker = dir.join(".articast-complete");
    if marker.exists() {
        return Ok(dir);
    }
    let setup = |source: std::io::Error| SynthError::Setup {
        what: "the built-in eSpeak NG data".into(),
        path: dir.clone(),
        source,
    };
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(setup)?;
    let staging = tempfile::Builder::new()
        .prefix(".espeak-data-")
        .tempdir_in(parent)
        .map_err(setup)?;
    espeak_ng::install_bundled_languages(staging.path(), BUNDLED_LANGUAGES).map_err(setup)?;
    std::fs::write(staging.path().join(".articast-complete"), b"ok\n").map_err(setup)?;
    let staged = staging.keep();
    if std::fs::rename(&staged, &dir).is_err() {
        // Another process finished first, or a stale incomplete folder is in the way.
        if !marker.exists() {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::rename(&staged, &dir).map_err(setup)?;
        } else {
            let _ = std::fs::remove_dir_all(&staged);
        }
    }
    Ok(dir)
}

impl EspeakBackend {
    /// Builds the backend for `settings`, choosing the engine by `preference`. With a
    /// `worker` program (the articast binary), the system engine runs in worker processes.
    pub fn new(
        settings: EspeakSettings,
        preference: EnginePreference,
        worker: Option<&Path>,
    ) -> Result<Self, SynthError> {
        let system = match preference {
            EnginePreference::Builtin => None,
            EnginePreference::Auto => system_espeak(),
            EnginePreference::System => Some(system_espeak().ok_or_else(|| SynthError::Unavailable {
                engine: "the system eSpeak NG".into(),
                hint: "install it (apt install espeak-ng, brew install espeak-ng) or use --engine builtin".into(),
            })?),
        };
        let roles = prosodies(&settings);
        let pool = match (&system, worker) {
            (Some(_), Some(program)) => WorkerPool::start(program).ok(),
            _ => None,
        };
        let backend = match system {
            Some(_) if pool.is_some() => {
                let pool = pool.expect("checked above");
                EspeakBackend {
                    id: BackendId {
                        backend: "espeak".into(),
                        engine: format!("eSpeak NG {} (system)", pool.version),
                        // The library applies the pitch range; the program cannot.
                        cache_key: format!("espeak/system-lib/{}", pool.version),
                    },
                    engine: Engine::Workers { pool, roles },
                }
            }
            Some(sys) => EspeakBackend {
                id: BackendId {
                    backend: "espeak".into(),
                    engine: format!("eSpeak NG {} (system)", sys.version),
                    cache_key: format!("espeak/system/{}", sys.version),
                },
                engine: Engine::System {
                    program: sys.program,
                    roles,
                },
            },
            None => {
                let data = ensure_builtin_data()?;
                let version = espeak_ng::EspeakNg::version();
                let engines = roles.try_map(|p| builtin_engine(p, &data))?;
                EspeakBackend {
                    id: BackendId {
                        backend: "espeak".into(),
                        engine: format!("eSpeak NG {version} (built-in)"),
                        cache_key: format!("espeak/builtin/{version}"),
                    },
                    engine: Engine::Builtin {
                        roles: Box::new(engines),
                    },
                }
            }
        };
        backend.check_voice(&settings.voice)?;
        Ok(backend)
    }

    /// Speaks a short word once so that a voice the engine lacks fails before the
    /// render starts, with the voice named.
    fn check_voice(&self, voice: &str) -> Result<(), SynthError> {
        let probe = SpeechRequest {
            text: "a",
            language: crate::language::Language::English,
            role: Role::Narrator,
        };
        self.synthesize(&probe).map(|_| ()).map_err(|e| SynthError::Unavailable {
            engine: self.id.engine.clone(),
            hint: format!("it cannot speak with eSpeak NG voice '{voice}' ({e}); check `voice` in the voice file"),
        })
    }
}

fn builtin_engine(p: &Prosody, data: &Path) -> Result<espeak_ng::EspeakNg, SynthError> {
    let mut engine =
        espeak_ng::EspeakNg::with_data_dir(&p.voice, data).map_err(|e| SynthError::Engine {
            engine: "eSpeak NG (built-in)".into(),
            message: e.to_string(),
        })?;
    engine.set_parameter(espeak_ng::Parameter::Rate, p.rate as i32);
    engine.set_parameter(espeak_ng::Parameter::Pitch, p.pitch as i32);
    engine.set_parameter(espeak_ng::Parameter::Range, p.range as i32);
    engine.set_parameter(espeak_ng::Parameter::Volume, p.volume as i32);
    Ok(engine)
}

impl Backend for EspeakBackend {
    fn id(&self) -> &BackendId {
        &self.id
    }

    fn limits(&self) -> Limits {
        Limits {
            max_chars: MAX_CHARS,
            max_parallel: std::thread::available_parallelism().map_or(1, |n| n.get()),
            sample_rate: ESPEAK_RATE,
        }
    }

    fn synthesize(&self, request: &SpeechRequest) -> Result<Clip, SynthError> {
        match &self.engine {
            Engine::System { program, roles } => synth_system(
                program,
                roles.get(request.role),
                request.text,
                &self.id.engine,
            ),
            Engine::Workers { pool, roles } => {
                let (rate, pcm) = pool
                    .synthesize(roles.get(request.role), request.text)
                    .map_err(|message| SynthError::Engine {
                        engine: self.id.engine.clone(),
                        message,
                    })?;
                Ok(Clip {
                    samples: pcm.iter().map(|&s| s as f32 / 32768.0).collect(),
                    sample_rate: rate,
                })
            }
            Engine::Builtin { roles } => {
                let (pcm, rate) = roles.get(request.role).synth(request.text).map_err(|e| {
                    SynthError::Engine {
                        engine: self.id.engine.clone(),
                        message: e.to_string(),
                    }
                })?;
                Ok(Clip {
                    samples: pcm.iter().map(|&s| s as f32 / 32768.0).collect(),
                    sample_rate: rate,
                })
            }
        }
    }
}

/// Runs `espeak-ng` once, text on standard input, WAV into a private temporary file.
fn synth_system(program: &Path, p: &Prosody, text: &str, engine: &str) -> Result<Clip, SynthError> {
    let fail = |message: String| SynthError::Engine {
        engine: engine.to_string(),
        message,
    };
    let wav = tempfile::Builder::new()
        .suffix(".wav")
        .tempfile()
        .map_err(|e| fail(format!("cannot create a temporary file: {e}")))?;
    let mut child = Command::new(program)
        .args([
            "-v",
            &p.voice,
            "-s",
            &p.rate.to_string(),
            "-p",
            &p.pitch.to_string(),
        ])
        .args(["-a", &p.volume.to_string(), "-w"])
        .arg(wav.path())
        .arg("--stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot run {}: {e}", program.display())))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(text.as_bytes())
            .map_err(|e| fail(format!("cannot send text: {e}")))?;
    }
    let out = child.wait_with_output().map_err(|e| fail(e.to_string()))?;
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if !out.status.success() || !stderr.is_empty() {
        return Err(fail(if stderr.is_empty() {
            format!("exit status {}", out.status)
        } else {
            stderr
        }));
    }
    let mut reader =
        hound::WavReader::open(wav.path()).map_err(|e| fail(format!("unreadable output: {e}")))?;
    let spec = reader.spec();
    let samples: Result<Vec<f32>, _> = match spec.sample_format {
        hound::SampleFormat::Int => reader
            .samples::<i16>()
            .map(|s| s.map(|v| v as f32 / 32768.0))
            .collect(),
        hound::SampleFormat::Float => reader.samples::<f32>().collect(),
    };
    Ok(Clip {
        samples: samples.map_err(|e| fail(format!("unreadable output: {e}")))?,
        sample_rate: spec.sample_rate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(voice: &str) -> EspeakSettings {
        crate::voice::parse_voice(
            &format!("name='t'\nlanguage='fr'\nbackend='espeak'\n[espeak]\nvoice='{voice}'\n"),
            Path::new("t.toml"),
        )
        .unwrap()
        .espeak
        .unwrap()
    }

    #[test]
    fn builtin_engine_speaks_french() {
        let b = EspeakBackend::new(settings("fr"), EnginePreference::Builtin, None).unwrap();
        assert!(b.id().engine.contains("built-in"));
        let clip = b
            .synthesize(&SpeechRequest {
                text: "Bonjour à tous.",
                language: crate::language::Language::French,
                role: Role::Narrator,
            })
            .unwrap();
        assert_eq!(clip.sample_rate, 22050);
        assert!(clip.duration_secs() > 0.4, "{}", clip.duration_secs());
        let peak = clip.samples.iter().fold(0f32, |m, s| m.max(s.abs()));
        assert!(peak > 0.05, "audible: peak {peak}");
    }

    #[test]
    fn system_engine_when_installed() {
        let Some(sys) = system_espeak() else {
            eprintln!("system espeak-ng not installed; skipped (CI installs it)");
            return;
        };
        let b = EspeakBackend::new(settings("fr"), EnginePreference::System, None).unwrap();
        assert!(b.id().engine.contains(&sys.version));
        let clip = b
            .synthesize(&SpeechRequest {
                text: "Bonjour à tous.",
                language: crate::language::Language::French,
                role: Role::Heading,
            })
            .unwrap();
        assert!(clip.duration_secs() > 0.4);
    }

    #[test]
    fn unknown_voice_is_refused_up_front() {
        let err = EspeakBackend::new(settings("zz-nope"), EnginePreference::Builtin, None)
            .err()
            .unwrap();
        assert!(err.to_string().contains("zz-nope"), "{err}");
    }
}
