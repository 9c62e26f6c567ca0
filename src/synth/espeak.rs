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
//! (`$ARTICAST_CACHE_DIR/espeak-ng-data-<version>-<languages>`, see
//! [`super::espeak_data`]); it is safe to call from several threads at once. The system engine sounds clearly better (the port's audio has
//! clicks and a buzzier timbre), so `auto` prefers it when present.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use super::espeak_data::{builtin_data_dir, ensure_builtin_data};
use super::espeak_settings::{EnginePreference, EspeakSettings};
use super::espeak_worker::WorkerPool;
use super::{Backend, BackendId, Clip, Limits, SpeechRequest, SynthError};
use crate::language::Language;
use crate::script::Role;

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
    let with = |o: &Option<super::espeak_settings::ProsodyOverride>| {
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

/// The voice names an eSpeak NG engine accepts (languages, voice names and files), each
/// with the language it speaks, and the variants that may follow a `+` (`en+f3`).
#[derive(Debug, Clone, Default)]
pub struct VoiceNames {
    /// Accepted voice names, lower case, with the language code each speaks.
    pub voices: Vec<(String, String)>,
    /// Accepted variant names, lower case.
    pub variants: Vec<String>,
}

impl VoiceNames {
    /// The language `spec` (`fr`, `en-us`, `French`, `roa/fr`, `en+f3`) speaks, or
    /// `None` when it names no voice here.
    pub fn language_of(&self, spec: &str) -> Option<&str> {
        let lower = spec.trim().to_lowercase();
        let (voice, variant) = match lower.split_once('+') {
            Some((v, x)) => (v, Some(x)),
            None => (lower.as_str(), None),
        };
        let variant_ok = variant
            .is_none_or(|x| self.variants.is_empty() || self.variants.iter().any(|v| v == x));
        if !variant_ok {
            return None;
        }
        self.voices
            .iter()
            .find(|(name, _)| name == voice)
            .map(|(_, lang)| lang.as_str())
    }

    /// Whether `spec` names a voice here.
    pub fn accepts(&self, spec: &str) -> bool {
        self.language_of(spec).is_some()
    }

    /// Up to three known names closest to `spec`.
    pub fn close_to(&self, spec: &str) -> Vec<String> {
        let lower = spec.to_lowercase();
        let mut scored: Vec<(f64, &String)> = self
            .voices
            .iter()
            .map(|(v, _)| (strsim::jaro_winkler(&lower, v), v))
            .filter(|(score, _)| *score >= 0.75)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored.dedup_by(|a, b| a.1 == b.1);
        scored.into_iter().take(3).map(|(_, v)| v.clone()).collect()
    }

    /// Names of voices speaking `language` (primary subtag), for advice.
    pub fn speaking(&self, language: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .voices
            .iter()
            .filter(|(name, lang)| primary(lang) == language && name.len() <= 6)
            .map(|(name, _)| name.clone())
            .collect();
        names.sort();
        names.dedup();
        names.truncate(4);
        names
    }

    fn add_voice(&mut self, name: &str, language: &str) {
        let name = name.to_lowercase();
        if !name.is_empty() && !self.voices.iter().any(|(n, _)| n == &name) {
            self.voices.push((name, language.to_lowercase()));
        }
    }
}

/// The primary subtag of a language code (`fr` of `fr-be`).
fn primary(code: &str) -> &str {
    code.split(['-', '_']).next().unwrap_or(code)
}

/// Parses `espeak-ng --voices` (or `--voices=variant`) output: the language, voice
/// name, file and other languages of each line.
pub fn parse_voice_list(listing: &str, names: &mut VoiceNames, variants: bool) {
    for line in listing.lines().skip(1) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < 5 {
            continue;
        }
        let file = fields[4];
        if variants {
            let name = file.rsplit('/').next().unwrap_or(file).to_lowercase();
            names.variants.push(name);
            continue;
        }
        let language = fields[1];
        names.add_voice(language, language);
        names.add_voice(fields[3], language);
        names.add_voice(file, language);
        names.add_voice(file.rsplit('/').next().unwrap_or(file), language);
        for other in &fields[5..] {
            let lang = other.trim_start_matches('(');
            if !lang.ends_with(')') {
                names.add_voice(lang, lang);
            }
        }
    }
}

/// The voices the system `program` lists (empty when it cannot be asked). Asked once
/// per process.
fn system_voice_names(program: &Path) -> VoiceNames {
    static NAMES: OnceLock<VoiceNames> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            let mut names = VoiceNames::default();
            for (arg, variants) in [("--voices", false), ("--voices=variant", true)] {
                if let Ok(out) = Command::new(program)
                    .arg(arg)
                    .stdin(Stdio::null())
                    .stderr(Stdio::null())
                    .output()
                {
                    parse_voice_list(&String::from_utf8_lossy(&out.stdout), &mut names, variants);
                }
            }
            names
        })
        .clone()
}

/// The voices of the built-in engine's bundled data.
fn builtin_voice_names() -> VoiceNames {
    let mut names = VoiceNames::default();
    if let Ok(dir) = ensure_builtin_data() {
        for v in espeak_ng::voices::list_voices(&dir) {
            let language = v.language.as_str();
            names.add_voice(language, language);
            names.add_voice(&v.name, language);
            names.add_voice(&v.file, language);
            names.add_voice(v.file.rsplit('/').next().unwrap_or(&v.file), language);
            for (lang, _) in &v.languages {
                names.add_voice(lang, lang);
            }
        }
    }
    names
}

/// How the built-in engine is named to people: the crate's version is its own, not
/// eSpeak NG's.
pub fn builtin_engine_name() -> String {
    format!(
        "eSpeak NG, built-in (Rust port {})",
        espeak_ng::EspeakNg::version()
    )
}

impl EspeakBackend {
    /// Builds the backend for `settings` (a voice file's, for `language` when it says),
    /// choosing the engine by `preference`. With a `worker` program (the articast
    /// binary), the system engine runs in worker processes.
    pub fn new(
        settings: EspeakSettings,
        language: Option<Language>,
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
        let mut backend = match system {
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
                        engine: builtin_engine_name(),
                        cache_key: format!("espeak/builtin/{version}"),
                    },
                    engine: Engine::Builtin {
                        roles: Box::new(engines),
                    },
                }
            }
        };
        backend.check_voice_name(&settings.voice, language)?;
        backend.check_voice(&settings.voice)?;
        // The engine's key, then every setting that changes the audio.
        backend.id.cache_key = format!("{}/{}", backend.id.cache_key, settings.audio_key());
        Ok(backend)
    }

    /// Refuses a voice name the engine does not list, or one that speaks another
    /// language than the voice file says. eSpeak NG itself falls back to a default voice
    /// for a name it does not know, and a name it does know may be another language
    /// altogether (`klingon` is eSpeak NG's Klingon): either way a French article would
    /// be read with the wrong rules.
    fn check_voice_name(&self, voice: &str, language: Option<Language>) -> Result<(), SynthError> {
        let known = match &self.engine {
            Engine::System { program, .. } => system_voice_names(program),
            Engine::Workers { .. } => system_espeak()
                .map(|s| system_voice_names(&s.program))
                .unwrap_or_default(),
            Engine::Builtin { .. } => builtin_voice_names(),
        };
        if known.voices.is_empty() {
            return Ok(());
        }
        let refuse = |why: String| SynthError::Unavailable {
            engine: self.id.engine.clone(),
            hint: format!("{why}; check `voice` in the voice file"),
        };
        match (known.language_of(voice), language) {
            (None, _) => {
                let close = known.close_to(voice);
                Err(refuse(if close.is_empty() {
                    format!("it has no voice '{voice}' (`espeak-ng --voices` lists them)")
                } else {
                    format!(
                        "it has no voice '{voice}' (close names: {})",
                        close.join(", ")
                    )
                }))
            }
            (Some(speaks), Some(wanted)) if primary(speaks) != wanted.code() => {
                let others = known.speaking(wanted.code());
                Err(refuse(format!(
                    "eSpeak NG voice '{voice}' speaks '{speaks}', not {} as the voice file says{}",
                    wanted.name(),
                    if others.is_empty() {
                        String::new()
                    } else {
                        format!(" ({} voices: {})", wanted.name(), others.join(", "))
                    }
                )))
            }
            _ => Ok(()),
        }
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

/// How the built-in eSpeak NG says `text` in `language`, in IPA as
/// [`crate::language::ipa::clean`] writes it: where a fix in IPA starts from. Its
/// language switches (`(en)…(fr)`) are left out.
pub fn builtin_ipa(text: &str, language: Language) -> Result<String, SynthError> {
    let fail = |message: String| SynthError::Engine {
        engine: builtin_engine_name(),
        message,
    };
    let data = ensure_builtin_data()?;
    let engine = espeak_ng::EspeakNg::with_data_dir(language.code(), &data)
        .map_err(|e| fail(e.to_string()))?;
    let heard = engine
        .text_to_phonemes(&crate::language::ipa::written_only(text))
        .map_err(|e| fail(e.to_string()))?;
    let mut plain = String::new();
    let mut in_switch = false;
    for c in heard.chars() {
        match c {
            '(' => in_switch = true,
            ')' => in_switch = false,
            // Its marks for words said as one ("lə-").
            '-' | '_' => {}
            c if !in_switch => plain.push(c),
            _ => {}
        }
    }
    crate::language::ipa::clean(&plain).map_err(|e| fail(format!("its IPA '{plain}': {e}")))
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
        // Words the lexicon gives in IPA, as eSpeak NG phoneme input.
        let text = crate::language::ipa::to_espeak_markup(request.text, request.language);
        match &self.engine {
            Engine::System { program, roles } => {
                synth_system(program, roles.get(request.role), &text, &self.id.engine)
            }
            Engine::Workers { pool, roles } => {
                let (rate, pcm) =
                    pool.synthesize(roles.get(request.role), &text)
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
                let (pcm, rate) =
                    roles
                        .get(request.role)
                        .synth(&text)
                        .map_err(|e| SynthError::Engine {
                            engine: self.id.engine.clone(),
                            message: e.to_string(),
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
    let io = |what: String| {
        move |source| SynthError::Io {
            engine: engine.to_string(),
            what,
            source,
        }
    };
    let wav = tempfile::Builder::new()
        .suffix(".wav")
        .tempfile()
        .map_err(io("cannot create a temporary file".into()))?;
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
        .map_err(io(format!("cannot run {}", program.display())))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(text.as_bytes())
            .map_err(io("cannot send the text".into()))?;
    }
    let out = child
        .wait_with_output()
        .map_err(io(format!("waiting for {}", program.display())))?;
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if !out.status.success() || !stderr.is_empty() {
        return Err(fail(if stderr.is_empty() {
            format!("exit status {}", out.status)
        } else {
            stderr
        }));
    }
    let bytes = std::fs::read(wav.path()).map_err(io("cannot read its output".into()))?;
    crate::synth::wav::clip_from_wav(&bytes).map_err(|source| SynthError::Audio {
        engine: engine.to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(voice: &str) -> EspeakSettings {
        toml::from_str(&format!("voice = '{voice}'")).unwrap()
    }

    /// What the built-in engine makes of IPA given in the lexicon: the mnemonics
    /// `language::ipa` writes, read back by the engine as IPA (stress marks and spaces
    /// aside), are the sounds asked for.
    #[test]
    fn ipa_from_the_lexicon_is_said_as_given() {
        use crate::language::ipa;
        let data = ensure_builtin_data().unwrap();
        let cases: &[(&str, Language, &[&str])] = &[
            (
                "fr",
                Language::French,
                &[
                    "kybɛʁnɛtɛs",
                    "bɔ̃ʒuʁ",
                    "ɡaɲe",
                    "ʃœ̃ bʁɛ̃ ʒø pœʁ",
                    "ɑ̃fɑ̃ ɔ̃z",
                    "lə tʃat",
                ],
            ),
            (
                "en",
                Language::English,
                &["θɪŋ", "ðə ʃʊə", "dʒʌdʒ", "ˈkɒt ɔː", "ɡəʊ", "ˈfɑːðə", "jʊŋ"],
            ),
            ("en-us", Language::English, &["ˈbʌɾɚ", "ɡoʊ", "ˈkuːbɚ"]),
            (
                "de",
                Language::German,
                &["ɡlʏk", "ʃøːn", "ɪç ax", "pfaɪfə", "tsaɪt"],
            ),
            (
                "es",
                Language::Spanish,
                &["ˈpeɾo", "ˈpero", "ʎama", "ˈniɲo", "ˈkaθa"],
            ),
        ];
        let bare = |s: &str| -> String {
            s.chars()
                .filter(|c| !matches!(c, 'ˈ' | 'ˌ' | ' ' | '\n'))
                .collect()
        };
        let mut wrong = Vec::new();
        for (voice, language, words) in cases {
            let engine = espeak_ng::EspeakNg::with_data_dir(voice, &data).unwrap();
            for word in *words {
                let span = ipa::span("x", word);
                let markup = ipa::to_espeak_markup(&span, *language);
                let heard = engine.text_to_phonemes(&markup).unwrap();
                if bare(&heard) != bare(word) {
                    wrong.push(format!("{voice}: {word} -> {markup} -> {heard}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn the_builtin_ipa_of_a_word_is_where_a_fix_starts() {
        let ipa = builtin_ipa("bonjour", Language::French).unwrap();
        assert_eq!(ipa.replace(['ˈ', 'ˌ'], ""), "bɔ̃ʒuʁ");
        // Said back through the lexicon, it is the same sounds.
        let span = crate::language::ipa::span("bonjour", &ipa);
        let markup = crate::language::ipa::to_espeak_markup(&span, Language::French);
        assert_eq!(markup.replace(['\'', ','], ""), "[[bO~Zur]]");
        assert!(builtin_ipa("parking", Language::French)
            .unwrap()
            .chars()
            .all(|c| c != '(' && !c.is_ascii_uppercase()));
        // Every word of the example articles has an IPA a fix can start from.
        for (file, language) in [
            ("examples/open-source-sound.md", Language::English),
            ("examples/la-ville-lente.txt", Language::French),
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            let mut words: Vec<&str> = text
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
                .collect();
            words.sort_unstable();
            words.dedup();
            for word in words {
                let ipa = builtin_ipa(word, language);
                assert!(ipa.is_ok(), "{file}: {word}: {ipa:?}");
            }
        }
    }

    #[test]
    fn builtin_engine_speaks_french() {
        let b = EspeakBackend::new(settings("fr"), None, EnginePreference::Builtin, None).unwrap();
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
    fn the_system_engine_refuses_a_voice_it_does_not_list() {
        if system_espeak().is_none() {
            eprintln!("system espeak-ng not installed; skipped (CI installs it)");
            return;
        }
        // eSpeak NG's Klingon is a voice, but not a French one.
        let french = Some(Language::French);
        let err = EspeakBackend::new(settings("klingon"), french, EnginePreference::System, None)
            .err()
            .expect("a voice of another language is refused");
        assert!(
            err.to_string().contains("speaks 'piqd', not French"),
            "{err}"
        );
        let err = EspeakBackend::new(settings("klingonz"), french, EnginePreference::System, None)
            .err()
            .expect("an unknown voice is refused");
        assert!(err.to_string().contains("no voice 'klingonz'"), "{err}");
        let err = EspeakBackend::new(settings("fr-bf"), None, EnginePreference::System, None)
            .err()
            .unwrap();
        assert!(err.to_string().contains("close names: fr-be"), "{err}");
    }

    #[test]
    fn system_engine_when_installed() {
        let Some(sys) = system_espeak() else {
            eprintln!("system espeak-ng not installed; skipped (CI installs it)");
            return;
        };
        let b = EspeakBackend::new(settings("fr"), None, EnginePreference::System, None).unwrap();
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
    fn voice_lists_accept_names_files_languages_and_variants() {
        let mut names = VoiceNames::default();
        parse_voice_list(
            "Pty Language       Age/Gender VoiceName          File                 Other Languages\n \
             5  fr-be           --/M      French_(Belgium)   roa/fr-BE            (fr 8)\n \
             2  en-us           --/M      English_(America)  gmw/en-US            (en 3)\n",
            &mut names,
            false,
        );
        parse_voice_list(
            "Pty Language Age/Gender VoiceName File\n 5  variant  --/F  female3  !v/f3\n",
            &mut names,
            true,
        );
        for ok in [
            "fr",
            "fr-be",
            "French_(Belgium)",
            "roa/fr-BE",
            "en-US",
            "en+f3",
        ] {
            assert!(names.accepts(ok), "{ok}");
        }
        for bad in ["klingon", "en+nope", "de"] {
            assert!(!names.accepts(bad), "{bad}");
        }
        assert_eq!(
            names.close_to("fr-bf").first().map(String::as_str),
            Some("fr-be")
        );
    }

    #[test]
    fn unknown_voice_is_refused_up_front() {
        let err = EspeakBackend::new(settings("zz-nope"), None, EnginePreference::Builtin, None)
            .err()
            .unwrap();
        assert!(err.to_string().contains("zz-nope"), "{err}");
    }
}
