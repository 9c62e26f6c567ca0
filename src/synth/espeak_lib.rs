//! The system libespeak-ng, loaded at run time (no build-time dependency): speech for
//! the worker processes of the `espeak` backend, and clause-by-clause phonemes for the
//! `piper` backend.
//!
//! libespeak-ng keeps global state: one synthesizer per process. So this module is used
//! by `articast espeak-worker` processes, one per synthesis thread, each serving many
//! chunks; that removes the cost of starting `espeak-ng` (loading its dictionary) for
//! every sentence.

use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};
use std::sync::Mutex;

use super::espeak::Prosody;

/// `espeak_AUDIO_OUTPUT::AUDIO_OUTPUT_SYNCHRONOUS`: synthesis returns when done.
const AUDIO_OUTPUT_SYNCHRONOUS: c_int = 2;
/// `espeakCHARS_UTF8`.
const CHARS_UTF8: c_uint = 1;
/// `espeakPHONEMES`: phoneme input between `[[` and `]]` (as the `espeak-ng` command).
const PHONEME_INPUT: c_uint = 0x100;
/// `espeak_POSITION_TYPE::POS_CHARACTER`.
const POS_CHARACTER: c_int = 1;
/// `espeak_PARAMETER` values.
const PARAM_RATE: c_int = 1;
const PARAM_VOLUME: c_int = 2;
const PARAM_PITCH: c_int = 3;
const PARAM_RANGE: c_int = 4;

/// `espeakPHONEMES_IPA`: phonemes as IPA.
const PHONEMES_IPA: c_int = 0x02;

/// `espeak_TextToPhonemes`.
type TextToPhonemes = unsafe extern "C" fn(*mut *const c_void, c_int, c_int) -> *const c_char;
/// `espeak_TextToPhonemesWithTerminator` (eSpeak NG 1.52 and later).
type TextToPhonemesWithTerminator =
    unsafe extern "C" fn(*mut *const c_void, c_int, c_int, *mut c_int) -> *const c_char;

/// One clause as libespeak-ng phonemizes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawClause {
    /// IPA phonemes, words separated by spaces.
    pub phonemes: String,
    /// eSpeak NG's clause flags (`CLAUSE_*` in readclause.h), when the library reports
    /// them; `None` from libraries older than 1.52.
    pub terminator: Option<i32>,
    /// The text the clause consumed, for libraries that do not report the terminator.
    pub consumed: String,
    /// Whether it is the text's last clause.
    pub last: bool,
}

type SynthCallback = extern "C" fn(*mut i16, c_int, *mut c_void) -> c_int;

/// Samples delivered by the callback for the utterance in progress. One synthesizer per
/// process, so one buffer.
static SAMPLES: Mutex<Vec<i16>> = Mutex::new(Vec::new());

extern "C" fn collect(wav: *mut i16, count: c_int, _events: *mut c_void) -> c_int {
    if !wav.is_null() && count > 0 {
        // SAFETY: libespeak-ng passes `count` valid samples at `wav` for this call.
        let samples = unsafe { std::slice::from_raw_parts(wav, count as usize) };
        if let Ok(mut buf) = SAMPLES.lock() {
            buf.extend_from_slice(samples);
        }
    }
    0
}

/// The loaded library and its synthesizer.
pub struct LibEspeak {
    _lib: libloading::Library,
    set_voice: unsafe extern "C" fn(*const c_char) -> c_int,
    set_parameter: unsafe extern "C" fn(c_int, c_int, c_int) -> c_int,
    synth: unsafe extern "C" fn(
        *const c_void,
        usize,
        c_uint,
        c_int,
        c_uint,
        c_uint,
        *mut c_uint,
        *mut c_void,
    ) -> c_int,
    text_to_phonemes: Option<TextToPhonemes>,
    text_to_phonemes_terminator: Option<TextToPhonemesWithTerminator>,
    /// Output sample rate.
    pub sample_rate: u32,
    /// Library version ("1.51").
    pub version: String,
}

/// Library names tried, in order, after `$ARTICAST_LIBESPEAK_NG`.
const CANDIDATES: &[&str] = &[
    "libespeak-ng.so.1",
    "libespeak-ng.so",
    "libespeak-ng.1.dylib",
    "libespeak-ng.dylib",
    "libespeak-ng.dll",
];

impl LibEspeak {
    /// Loads libespeak-ng and initializes its synthesizer.
    pub fn load() -> Result<LibEspeak, String> {
        let mut names: Vec<String> = std::env::var("ARTICAST_LIBESPEAK_NG").into_iter().collect();
        names.extend(CANDIDATES.iter().map(|s| s.to_string()));
        let mut last = String::from("no candidate");
        for name in names {
            // SAFETY: loading libespeak-ng runs its (trivial) initializers only.
            match unsafe { libloading::Library::new(&name) } {
                Ok(lib) => return Self::init(lib),
                Err(e) => last = format!("{name}: {e}"),
            }
        }
        Err(format!("libespeak-ng not found ({last})"))
    }

    fn init(lib: libloading::Library) -> Result<LibEspeak, String> {
        // SAFETY: the symbols are looked up by their documented names and used with the
        // signatures of espeak-ng's speak_lib.h.
        unsafe {
            let initialize = *lib
                .get::<unsafe extern "C" fn(c_int, c_int, *const c_char, c_int) -> c_int>(
                    b"espeak_Initialize\0",
                )
                .map_err(|e| e.to_string())?;
            let set_callback = *lib
                .get::<unsafe extern "C" fn(SynthCallback)>(b"espeak_SetSynthCallback\0")
                .map_err(|e| e.to_string())?;
            let info = *lib
                .get::<unsafe extern "C" fn(*mut *const c_char) -> *const c_char>(b"espeak_Info\0")
                .map_err(|e| e.to_string())?;
            let set_voice = *lib
                .get(b"espeak_SetVoiceByName\0")
                .map_err(|e| e.to_string())?;
            let set_parameter = *lib
                .get(b"espeak_SetParameter\0")
                .map_err(|e| e.to_string())?;
            let synth = *lib.get(b"espeak_Synth\0").map_err(|e| e.to_string())?;
            let text_to_phonemes = lib
                .get::<TextToPhonemes>(b"espeak_TextToPhonemes\0")
                .ok()
                .map(|f| *f);
            let text_to_phonemes_terminator = lib
                .get::<TextToPhonemesWithTerminator>(b"espeak_TextToPhonemesWithTerminator\0")
                .ok()
                .map(|f| *f);
            let rate = initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, std::ptr::null(), 0);
            if rate <= 0 {
                return Err("espeak_Initialize failed (is espeak-ng-data installed?)".into());
            }
            set_callback(collect);
            let version_ptr = info(std::ptr::null_mut());
            let version = if version_ptr.is_null() {
                "unknown".to_string()
            } else {
                let full = CStr::from_ptr(version_ptr).to_string_lossy();
                full.split_whitespace()
                    .next()
                    .unwrap_or("unknown")
                    .to_string()
            };
            Ok(LibEspeak {
                _lib: lib,
                set_voice,
                text_to_phonemes,
                text_to_phonemes_terminator,
                set_parameter,
                synth,
                sample_rate: rate as u32,
                version,
            })
        }
    }

    /// Synthesizes `text` with `prosody`; returns 16-bit samples at [`Self::sample_rate`].
    pub fn synthesize(&self, prosody: &Prosody, text: &str) -> Result<Vec<i16>, String> {
        let voice = CString::new(prosody.voice.as_str())
            .map_err(|_| "voice name contains NUL".to_string())?;
        let text =
            CString::new(text.replace('\0', " ")).map_err(|_| "text contains NUL".to_string())?;
        let mut buf = SAMPLES
            .lock()
            .map_err(|_| "sample buffer poisoned".to_string())?;
        buf.clear();
        drop(buf);
        // SAFETY: pointers are valid NUL-terminated strings for the duration of the calls;
        // synchronous mode returns only after every callback has run.
        unsafe {
            if (self.set_voice)(voice.as_ptr()) != 0 {
                return Err(format!("unknown eSpeak NG voice '{}'", prosody.voice));
            }
            (self.set_parameter)(PARAM_RATE, prosody.rate as c_int, 0);
            (self.set_parameter)(PARAM_PITCH, prosody.pitch as c_int, 0);
            (self.set_parameter)(PARAM_RANGE, prosody.range as c_int, 0);
            (self.set_parameter)(PARAM_VOLUME, prosody.volume as c_int, 0);
            let bytes = text.as_bytes_with_nul();
            let status = (self.synth)(
                bytes.as_ptr() as *const c_void,
                bytes.len(),
                0,
                POS_CHARACTER,
                0,
                CHARS_UTF8 | PHONEME_INPUT,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            );
            if status != 0 {
                return Err(format!("espeak_Synth failed with status {status}"));
            }
        }
        let mut buf = SAMPLES
            .lock()
            .map_err(|_| "sample buffer poisoned".to_string())?;
        Ok(std::mem::take(&mut *buf))
    }

    /// Selects `voice` (loading its data when it is not the current one), without
    /// speaking.
    pub fn load_voice(&self, voice: &str) -> Result<(), String> {
        let name = CString::new(voice).map_err(|_| "voice name contains NUL".to_string())?;
        // SAFETY: a valid NUL-terminated string for the duration of the call.
        if unsafe { (self.set_voice)(name.as_ptr()) } != 0 {
            return Err(format!("unknown eSpeak NG voice '{voice}'"));
        }
        Ok(())
    }

    /// Whether this library can phonemize text.
    pub fn can_phonemize(&self) -> bool {
        self.text_to_phonemes.is_some() || self.text_to_phonemes_terminator.is_some()
    }

    /// Whether it reports clause terminators itself (eSpeak NG 1.52 and later).
    pub fn reports_terminators(&self) -> bool {
        self.text_to_phonemes_terminator.is_some()
    }

    /// Phonemizes `text` with eSpeak NG voice `voice`, one clause at a time, exactly as
    /// the library splits it.
    pub fn clauses(&self, voice: &str, text: &str) -> Result<Vec<RawClause>, String> {
        let voice_c = CString::new(voice).map_err(|_| "voice name contains NUL".to_string())?;
        let text_c =
            CString::new(text.replace('\0', " ")).map_err(|_| "text contains NUL".to_string())?;
        let bytes = text_c.as_bytes();
        let start = text_c.as_ptr() as usize;
        let mut out = Vec::new();
        // SAFETY: `text_c` outlives the loop; the library advances `ptr` inside it (or
        // sets it to NULL at the end) and returns a NUL-terminated string it owns,
        // valid until the next call, which is copied at once.
        unsafe {
            if (self.set_voice)(voice_c.as_ptr()) != 0 {
                return Err(format!("unknown eSpeak NG voice '{voice}'"));
            }
            let mut ptr = text_c.as_ptr() as *const c_void;
            while !ptr.is_null() {
                let before = ptr as usize - start;
                let mut flags: c_int = 0;
                let phonemes = match (self.text_to_phonemes_terminator, self.text_to_phonemes) {
                    (Some(f), _) => f(&mut ptr, CHARS_UTF8 as c_int, PHONEMES_IPA, &mut flags),
                    (None, Some(f)) => f(&mut ptr, CHARS_UTF8 as c_int, PHONEMES_IPA),
                    (None, None) => return Err("this libespeak-ng cannot phonemize".into()),
                };
                let after = if ptr.is_null() {
                    bytes.len()
                } else {
                    (ptr as usize - start).min(bytes.len())
                };
                let consumed =
                    String::from_utf8_lossy(&bytes[before.min(after)..after]).into_owned();
                let phonemes = if phonemes.is_null() {
                    String::new()
                } else {
                    CStr::from_ptr(phonemes).to_string_lossy().into_owned()
                };
                out.push(RawClause {
                    phonemes,
                    terminator: self.text_to_phonemes_terminator.map(|_| flags),
                    consumed,
                    last: ptr.is_null(),
                });
                if after >= bytes.len() && !ptr.is_null() && out.len() > bytes.len() + 1 {
                    break;
                }
            }
        }
        Ok(out)
    }
}
