//! End-to-end: podcast-grade episodes. MP3 files are read back with implementations
//! other than the writer's where one exists: the audio decoded by symphonia (not LAME),
//! loudness measured on that decoded audio, tags read by the id3 crate's reader, and,
//! when ffmpeg is installed (CI installs it), probed by ffprobe.

mod common;

use std::path::Path;

use common::Env;
use predicates::prelude::*;

/// Decodes an audio file with symphonia: (interleaved samples, channels, rate).
fn decode(path: &Path) -> (Vec<f32>, usize, u32) {
    let mut samples = Vec::new();
    let (mut channels, mut rate) = (0, 0);
    articast::assemble::music::for_each_block(path, |block, c, r| {
        samples.extend_from_slice(block);
        channels = c;
        rate = r;
        Ok(())
    })
    .expect("symphonia decodes the file");
    (samples, channels, rate)
}

fn loudness(samples: &[f32], channels: usize, rate: u32) -> (f64, f64) {
    let mut meter = ebur128::EbuR128::new(
        channels as u32,
        rate,
        ebur128::Mode::I | ebur128::Mode::TRUE_PEAK,
    )
    .unwrap();
    meter.add_frames_f32(samples).unwrap();
    let peak = (0..channels as u32)
        .map(|c| meter.true_peak(c).unwrap())
        .fold(0.0f64, f64::max);
    (meter.loudness_global().unwrap(), 20.0 * peak.log10())
}

fn ffprobe(path: &Path) -> Option<serde_json::Value> {
    let out = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_chapters",
            "-show_streams",
        ])
        .arg(path)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "ffprobe accepts {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// The duration ffprobe reports, in seconds.
fn probed_duration(probe: &serde_json::Value) -> f64 {
    probe["format"]["duration"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .expect("ffprobe reports a duration")
}

fn render_json(env: &Env, args: &[&str]) -> serde_json::Value {
    let assert = env
        .cmd()
        .args(["render", "--engine", "builtin", "--json"])
        .args(args)
        .assert()
        .success();
    serde_json::from_slice(&assert.get_output().stdout).unwrap()
}

#[test]
fn mp3_with_tags_cover_chapters_and_loudness() {
    let env = Env::new();
    let out = env.path("episode.mp3");
    let input = common::manifest_dir().join("examples/open-source-sound.md");
    let cover = common::manifest_dir().join("tests/fixtures/cover.png");
    let summary = render_json(
        &env,
        &[
            "--show",
            "Le Fil",
            "--cover",
            cover.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
    );
    assert_eq!(summary["format"], "mp3");
    assert_eq!(summary["sample_rate"], 44100);
    let duration = summary["duration_secs"].as_f64().unwrap();

    // The audio, decoded by symphonia: length (gapless) and loudness on target.
    let (samples, channels, rate) = decode(&out);
    assert_eq!((channels, rate), (1, 44100));
    // To the sample: the Info frame's delay and padding are exact.
    assert_eq!(
        samples.len() as u64,
        (duration * rate as f64).round() as u64
    );
    // A mono episode aims at -19 LUFS (AES TD1004: it plays through both speakers).
    let (lufs, peak) = loudness(&samples, channels, rate);
    assert!((lufs + 19.0).abs() <= 0.3, "integrated {lufs} LUFS");
    assert!(peak <= -1.0 + 0.1, "true peak {peak} dBTP");
    // The compressor evens the peaks out; the limiter only catches the last few dB.
    let figures = &summary["loudness"];
    assert!(
        figures["compressor_db"].as_f64().unwrap() > 0.5,
        "{figures}"
    );
    assert!(figures["limiter_db"].as_f64().unwrap() <= 3.5, "{figures}");
    assert!(
        figures["limited_percent"].as_f64().unwrap() < 1.0,
        "{figures}"
    );
    // A short episode is its own probe, mastered until it lands.
    let chunks = summary["chunks"].as_u64().unwrap();
    assert_eq!(
        figures["probe_stretches"].as_u64(),
        Some(chunks),
        "{figures}"
    );
    let probe_passes = figures["probe_passes"].as_u64().unwrap();
    assert!((1..=5).contains(&probe_passes), "{figures}");
    // Its last pass is the file's: no clip is mastered again.
    assert_eq!(figures["passes"].as_u64(), Some(1), "{figures}");
    assert_eq!(
        figures["reused_stretches"].as_u64(),
        Some(chunks),
        "{figures}"
    );

    // Tags, read back by the id3 reader.
    let tag = id3::Tag::read_from_path(&out).unwrap();
    use id3::TagLike;
    assert_eq!(tag.version(), id3::Version::Id3v24);
    assert_eq!(
        tag.title(),
        Some("The Quiet Revolution of Open-Source Sound")
    );
    assert_eq!(tag.artist(), Some("Articast Examples"));
    assert_eq!(tag.album(), Some("Le Fil"));
    assert_eq!(tag.genre(), Some("Podcast"));
    assert_eq!(
        tag.get("TLAN").and_then(|f| f.content().text()),
        Some("eng")
    );
    assert_eq!(tag.date_recorded().map(|d| d.year), Some(2026));
    let picture = tag.pictures().next().expect("cover art");
    assert_eq!(picture.mime_type, "image/png");
    assert_eq!(picture.data, std::fs::read(&cover).unwrap());
    let toc: Vec<_> = tag.tables_of_contents().collect();
    assert_eq!(toc.len(), 1);
    let chapters: Vec<_> = tag.chapters().collect();
    assert_eq!(toc[0].elements.len(), chapters.len());
    let expected = summary["chapters"].as_array().unwrap();
    assert_eq!(chapters.len(), expected.len());
    for (chap, want) in chapters.iter().zip(expected) {
        let title = chap
            .frames
            .iter()
            .find(|f| f.id() == "TIT2")
            .and_then(|f| f.content().text());
        assert_eq!(title, want["title"].as_str());
        let start = want["start_secs"].as_f64().unwrap() * 1000.0;
        assert!(
            (chap.start_time as f64 - start).abs() <= 1.0,
            "{} vs {start}",
            chap.start_time
        );
    }
    assert_eq!(
        chapters.last().unwrap().end_time as f64,
        (duration * 1000.0).round()
    );

    // ffprobe, an independent reader, agrees.
    if let Some(probe) = ffprobe(&out) {
        assert_eq!(probe["format"]["format_name"], "mp3");
        let probed = probed_duration(&probe);
        assert!(
            (probed - duration).abs() < 0.1,
            "ffprobe {probed} s vs {duration} s"
        );
        assert_eq!(probe["format"]["tags"]["album"], "Le Fil");
        assert_eq!(probe["chapters"].as_array().unwrap().len(), expected.len());
        assert_eq!(
            probe["chapters"][1]["tags"]["title"],
            "From the lab to the living room"
        );
    } else {
        eprintln!("ffprobe not installed: skipped its checks (CI installs ffmpeg)");
    }

    // Sidecars line up with the audio.
    let vtt = common::parse_vtt(&std::fs::read_to_string(env.path("episode.vtt")).unwrap());
    assert!(vtt.last().unwrap().end <= duration);
    let txt = std::fs::read_to_string(env.path("episode.transcript.txt")).unwrap();
    assert!(txt.starts_with("The Quiet Revolution of Open-Source Sound\n\nIn 1995"));
}

/// A long MP3 is encoded in pieces on every core and joined behind one Info frame.
/// Decoded by symphonia (and ffmpeg when installed), it has the WAV's length to the
/// sample and the same audio everywhere, joins included.
#[test]
fn long_mp3_in_pieces_is_the_wav_to_the_sample() {
    let Some(seed) = common::seed_article() else {
        return;
    };
    let env = Env::new();
    // Six minutes of French or more: three pieces of two and a half minutes.
    let article = env.path("long.txt");
    let mut text = std::fs::read_to_string(&seed).unwrap();
    text.push_str("\n\n");
    text.push_str(
        &std::fs::read_to_string(common::manifest_dir().join("examples/la-ville-lente.txt"))
            .unwrap(),
    );
    std::fs::write(&article, text).unwrap();
    let (wav, mp3) = (env.path("long.wav"), env.path("long.mp3"));
    let a = arg(&article);
    render_json(&env, &["--rate", "44100", "-o", &arg(&wav), &a]);
    let summary = render_json(&env, &["-o", &arg(&mp3), &a]);
    let reference = common::Wav::read(&wav);
    assert!(reference.duration() > 330.0, "{}", reference.duration());
    let (decoded, channels, rate) = decode(&mp3);
    assert_eq!((channels, rate), (1, 44100));
    assert_eq!(decoded.len(), reference.samples.len(), "decoded length");
    assert_eq!(
        decoded.len() as u64,
        (summary["duration_secs"].as_f64().unwrap() * 44100.0).round() as u64
    );
    // Every ten seconds, the MP3 is the WAV within the coding noise of 64 kbit/s.
    let window = 441_000;
    for (i, (want, got)) in reference
        .samples
        .chunks(window)
        .zip(decoded.chunks(window))
        .enumerate()
    {
        let want = want.iter().map(|&s| f64::from(s) / 32768.0);
        let signal: f64 = want.clone().map(|w| w * w).sum();
        let noise: f64 = want
            .zip(got)
            .map(|(w, &g)| (w - f64::from(g)).powi(2))
            .sum();
        if signal > 1.0 {
            let snr = 10.0 * (signal / noise.max(1e-12)).log10();
            assert!(snr > 15.0, "{snr:.1} dB from {} s", i * 10);
        }
    }
    if let Some(n) = ffmpeg_samples(&mp3) {
        assert_eq!(n, decoded.len(), "ffmpeg's decoded length");
    }
}

fn arg(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

/// How many samples ffmpeg decodes from `path` (mono), when ffmpeg is installed.
fn ffmpeg_samples(path: &Path) -> Option<usize> {
    let out = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "s16le", "-ac", "1", "-"])
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(out.stdout.len() / 2)
}

/// Writes a mono MP3 tone with LAME (an encoder other than symphonia, which decodes it).
fn mp3_tone(path: &Path, secs: f32) {
    use mp3lame_encoder::{Builder, FlushNoGap, MonoPcm};
    let mut b = Builder::new().unwrap();
    b.set_num_channels(1).unwrap();
    b.set_sample_rate(22050).unwrap();
    b.set_brate(mp3lame_encoder::Bitrate::Kbps64).unwrap();
    let mut enc = b.build().unwrap();
    let pcm: Vec<f32> = (0..(22050.0 * secs) as usize)
        .map(|i| (2.0 * std::f32::consts::PI * 330.0 * i as f32 / 22050.0).sin() * 0.4)
        .collect();
    let mut out = Vec::with_capacity(mp3lame_encoder::max_required_buffer_size(pcm.len()));
    enc.encode_to_vec(MonoPcm(&pcm[..]), &mut out).unwrap();
    out.reserve(7200);
    enc.flush_to_vec::<FlushNoGap>(&mut out).unwrap();
    std::fs::write(path, out).unwrap();
}

#[test]
fn intro_outro_and_bed_shift_cues_and_make_stereo() {
    let env = Env::new();
    let intro = env.path("intro.wav");
    let outro = env.path("outro.mp3");
    let bed = env.path("bed.wav");
    common::wav_tone(&intro, 2.0, 2, 440.0);
    mp3_tone(&outro, 1.5);
    common::wav_tone(&bed, 0.5, 1, 220.0);
    let input = env.path("a.txt");
    std::fs::write(&input, "Un titre\nUne première phrase assez longue pour compter. Une seconde phrase.\nUne section\nLe corps de la section, enfin.\n").unwrap();
    let out = env.path("ep.wav");
    let summary = render_json(
        &env,
        &[
            "--intro",
            intro.to_str().unwrap(),
            "--outro",
            outro.to_str().unwrap(),
            "--bed",
            bed.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
    );
    assert_eq!(
        summary["channels"], 2,
        "a stereo intro makes a stereo episode"
    );
    assert_eq!(summary["sample_rate"], 44100);
    let wav = common::Wav::read(&out);
    assert_eq!(wav.spec.channels, 2);
    let vtt = common::parse_vtt(&std::fs::read_to_string(env.path("ep.vtt")).unwrap());
    // The speech starts after the 2 s intro and the lead-in.
    assert!(
        vtt[0].start >= 2.0 && vtt[0].start < 2.6,
        "{}",
        vtt[0].start
    );
    // The outro follows the speech: the episode is at least 1.5 s longer than the last cue.
    let duration = summary["duration_secs"].as_f64().unwrap();
    assert!(
        duration - vtt.last().unwrap().end >= 1.5 + 0.9,
        "{duration}"
    );
    // The intro is audible; the bed plays in the chapter pause, quieter than the speech.
    let frames = |t: f64| (t * 44100.0) as usize * 2;
    let rms = |a: f64, b: f64| {
        let s = &wav.samples[frames(a)..frames(b)];
        (s.iter().map(|&v| (v as f64 / 32768.0).powi(2)).sum::<f64>() / s.len() as f64).sqrt()
    };
    assert!(rms(0.5, 1.5) > 0.05, "intro audible");
    let heading = vtt.iter().position(|c| c.text == "Une section").unwrap();
    let pause = (vtt[heading - 1].end + 0.3, vtt[heading].start - 0.05);
    let bed_level = rms(pause.0, pause.1);
    assert!(bed_level > 0.003, "bed audible in the pause: {bed_level}");
    assert!(
        bed_level < rms(vtt[0].start, vtt[0].end),
        "bed under the speech"
    );
    let chapters: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("ep.chapters.json")).unwrap())
            .unwrap();
    assert_eq!(chapters["chapters"][0]["startTime"], 0.0);
    assert!(
        (chapters["chapters"][1]["startTime"].as_f64().unwrap() - vtt[heading].start).abs() < 0.002
    );
}

/// Loud "mastered music": a stereo noise-and-chords file at about -10 LUFS.
fn loud_music(path: &Path, secs: f32) {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    let mut state = 0x1234_5678_9abc_def0u64;
    for i in 0..(secs * 44100.0) as usize {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let noise = (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
        let t = i as f32 / 44100.0;
        let chord = [220.0f32, 277.2, 329.6]
            .iter()
            .map(|f| (2.0 * std::f32::consts::PI * f * t).sin())
            .sum::<f32>();
        let v = (noise * 0.5 + chord * 0.2).clamp(-1.0, 1.0);
        for _ in 0..2 {
            w.write_sample((v * 30000.0) as i16).unwrap();
        }
    }
    w.finalize().unwrap();
}

#[test]
fn loud_intro_and_outro_are_levelled_under_the_speech() {
    let env = Env::new();
    let (intro, outro) = (env.path("intro.wav"), env.path("outro.wav"));
    loud_music(&intro, 6.0);
    loud_music(&outro, 6.0);
    let input = common::manifest_dir().join("examples/la-ville-lente.txt");
    let out = env.path("ep.wav");
    let summary = render_json(
        &env,
        &[
            "--intro",
            intro.to_str().unwrap(),
            "--outro",
            outro.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
    );
    let (samples, channels, rate) = decode(&out);
    assert_eq!(channels, 2);
    let frame = |t: f64| (t * rate as f64) as usize * channels;
    let segment = |a: f64, b: f64| loudness(&samples[frame(a)..frame(b)], channels, rate).0;
    let vtt = common::parse_vtt(&std::fs::read_to_string(env.path("ep.vtt")).unwrap());
    let (speech_start, speech_end) = (vtt[0].start, vtt.last().unwrap().end);
    let duration = summary["duration_secs"].as_f64().unwrap();
    let intro_lufs = segment(0.2, 5.0);
    let speech_lufs = segment(speech_start, speech_end);
    let outro_lufs = segment(duration - 5.0, duration - 0.5);
    // A stereo episode aims at -16 LUFS; the speech meets it, the music sits under it.
    assert!((speech_lufs + 16.0).abs() <= 0.5, "speech {speech_lufs}");
    for (name, music) in [("intro", intro_lufs), ("outro", outro_lufs)] {
        assert!(
            music < speech_lufs - 1.5,
            "{name} {music} vs speech {speech_lufs}"
        );
        assert!(music > speech_lufs - 6.0, "{name} {music} still audible");
    }
}

fn fails(env: &Env, args: &[&str], message: &str) {
    fails_with(env, args, "out.mp3", 1, message);
}

/// A bad value given on the command line is a usage error.
fn usage(env: &Env, args: &[&str], output: &str, message: &str) {
    fails_with(env, args, output, 2, message);
}

fn fails_with(env: &Env, args: &[&str], output: &str, code: i32, message: &str) {
    let input = env.path("a.txt");
    std::fs::write(&input, "Titre\nUn paragraphe assez long pour compter.\n").unwrap();
    let out = env.path(output);
    env.cmd()
        .args(["render", "--engine", "builtin"])
        .args(args)
        .arg("-o")
        .arg(&out)
        .arg(&input)
        .assert()
        .code(code)
        .stderr(predicate::str::contains(message));
    assert!(!out.exists());
    assert!(
        env.files()
            .iter()
            .all(|f| !f.starts_with(".out.") && f != "out.vtt"),
        "{:?}",
        env.files()
    );
}

#[test]
fn bad_cover_intro_and_settings_are_refused() {
    let env = Env::new();
    let text_cover = env.path("cover.jpg");
    std::fs::write(&text_cover, "not an image").unwrap();
    fails(
        &env,
        &["--cover", text_cover.to_str().unwrap()],
        "is not a JPEG or PNG image",
    );
    let huge = env.path("huge.png");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(11 * 1024 * 1024).unwrap();
    fails(
        &env,
        &["--cover", huge.to_str().unwrap()],
        "more than the 10485760 bytes accepted",
    );
    let bad_intro = env.path("intro.mp3");
    std::fs::write(&bad_intro, "this is no audio at all, just text pretending").unwrap();
    fails(
        &env,
        &["--intro", bad_intro.to_str().unwrap()],
        "cannot decode music file",
    );
    fails(
        &env,
        &["--intro", env.path("missing.ogg").to_str().unwrap()],
        "cannot read music file",
    );
}

#[test]
fn bad_values_on_the_command_line_are_usage_errors() {
    let env = Env::new();
    usage(
        &env,
        &["--loudness", "-80"],
        "out.mp3",
        "--loudness: -80 LUFS is outside",
    );
    usage(&env, &["--loudness", "0"], "out.mp3", "--loudness");
    usage(&env, &["--loudness", "-5"], "out.mp3", "--loudness");
    usage(
        &env,
        &["--true-peak", "3"],
        "out.mp3",
        "--true-peak: 3 dBTP is outside",
    );
    usage(
        &env,
        &["--true-peak", "-8"],
        "out.mp3",
        "speech needs at least 12 dB",
    );
    usage(
        &env,
        &["--bitrate", "100"],
        "out.mp3",
        "is not an MP3 bit rate",
    );
    usage(&env, &["--bitrate", "8"], "out.mp3", "--bitrate");
    usage(
        &env,
        &["--bitrate", "32", "--rate", "44100"],
        "out.mp3",
        "too small for the Info frame",
    );
    usage(
        &env,
        &["--rate", "96000"],
        "out.mp3",
        "MP3 cannot carry 96000 Hz",
    );
    usage(&env, &["--rate", "1000"], "out.mp3", "1000");
    usage(&env, &["--vbr", "10"], "out.mp3", "10");
    usage(
        &env,
        &["--vbr", "2"],
        "out.wav",
        "--vbr: WAV is not compressed",
    );
    usage(
        &env,
        &["--bitrate", "64"],
        "out.wav",
        "--bitrate: WAV is not compressed",
    );
    usage(&env, &[], "out.ogg", "cannot write .ogg files");
    usage(&env, &[], "out", "has no extension");
    usage(
        &env,
        &["--format", "wav"],
        "c3.mp3",
        "is named like MP3 but --format says WAV",
    );
    usage(
        &env,
        &["--bed-level", "-20"],
        "out.mp3",
        "--bed-level: it sets the music bed",
    );
    usage(&env, &["--title", ""], "out.mp3", "--title is empty");
}

#[test]
fn vbr_and_no_normalize() {
    let env = Env::new();
    let input = common::manifest_dir().join("examples/la-ville-lente.txt");
    let out = env.path("v.mp3");
    let s = render_json(
        &env,
        &[
            "--vbr",
            "4",
            "--no-normalize",
            "-o",
            out.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
    );
    assert_eq!(s["loudness"]["gain_db"], 0.0);
    let (samples, channels, rate) = decode(&out);
    let secs = samples.len() as f64 / (channels as f64 * rate as f64);
    assert!(
        (secs - s["duration_secs"].as_f64().unwrap()).abs() < 0.06,
        "VBR duration from the Info tag: {secs}"
    );
    if let Some(probe) = ffprobe(&out) {
        let probed = probed_duration(&probe);
        assert!(
            (probed - secs).abs() < 0.1,
            "ffprobe reads the VBR duration: {probed}"
        );
    }
}

#[test]
fn front_matter_cover_is_embedded() {
    let env = Env::new();
    std::fs::copy(
        common::manifest_dir().join("tests/fixtures/cover.png"),
        env.path("art.png"),
    )
    .unwrap();
    let input = env.path("post.md");
    std::fs::write(&input, "---\ntitle: A post\nauthor: Kim\ncover: art.png\n---\n\nA short post with enough words to be read aloud.\n").unwrap();
    let out = env.path("post.mp3");
    render_json(
        &env,
        &["-o", out.to_str().unwrap(), input.to_str().unwrap()],
    );
    use id3::TagLike;
    let tag = id3::Tag::read_from_path(&out).unwrap();
    assert_eq!(tag.artist(), Some("Kim"));
    assert_eq!(
        tag.pictures().next().map(|p| p.mime_type.as_str()),
        Some("image/png")
    );
}
