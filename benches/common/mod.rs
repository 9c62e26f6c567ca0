//! Shared by the benchmarks: generated article text, and running the real binary.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Runs `articast render ARGS... -o OUT INPUT` with its cache in `cache`: returns the wall
/// time in seconds and the JSON summary.
pub fn render(args: &[&str], input: &Path, out: &Path, cache: &Path) -> (f64, serde_json::Value) {
    let mut all: Vec<&std::ffi::OsStr> = vec!["render".as_ref()];
    all.extend(args.iter().map(std::ffi::OsStr::new));
    all.extend([
        "--json".as_ref(),
        "-q".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
        input.as_os_str(),
    ]);
    articast_json(&all, cache)
}

/// Runs `articast ARGS...` (which must print a JSON summary) with its clip cache in
/// `cache`: the wall time in seconds and the summary. Panics with stderr on failure.
pub fn articast_json(args: &[&std::ffi::OsStr], cache: &Path) -> (f64, serde_json::Value) {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_articast"))
        .args(args)
        .env("ARTICAST_CACHE_DIR", cache)
        .output()
        .expect("articast runs");
    let secs = started.elapsed().as_secs_f64();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        secs,
        serde_json::from_slice(&output.stdout).expect("JSON summary"),
    )
}

/// A deterministic generator of distinct French paragraphs (no duplicates, so cleaning
/// keeps them all), with numbers, dates and Roman numerals for the normalizer.
pub fn generate_text(articles: usize) -> String {
    const SUBJECTS: &[&str] = &[
        "La ville",
        "Le gouvernement",
        "L’entreprise",
        "La région",
        "Le laboratoire",
        "La coopérative",
        "Le musée",
        "L’université",
    ];
    const VERBS: &[&str] = &[
        "a investi",
        "a perdu",
        "a consacré",
        "a récolté",
        "a économisé",
        "a distribué",
    ];
    const OBJECTS: &[&str] = &[
        "aux transports publics",
        "à la recherche",
        "aux écoles rurales",
        "au patrimoine du XIXe siècle",
        "aux réseaux d’énergie",
        "à la santé",
    ];
    const TAILS: &[&str] = &[
        "selon un rapport publié la semaine dernière",
        "ce qui a surpris les observateurs",
        "malgré les critiques de l’opposition",
        "comme l’avait promis M. Durand",
        "d’après les chiffres de l’INSEE",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut text = String::new();
    for a in 0..articles {
        text.push_str(&format!(
            "Article numéro {} : chronique des territoires\n",
            a + 1
        ));
        for p in 0..12 {
            if p == 6 {
                text.push_str(&format!("Deuxième partie de l’article {}\n", a + 1));
            }
            for s in 0..5 {
                text.push_str(&format!(
                    "{} {} {} {} euros {}, soit {},{} % de plus qu’en {}. ",
                    SUBJECTS[next(SUBJECTS.len())],
                    VERBS[next(VERBS.len())],
                    1000 + next(90_000),
                    OBJECTS[next(OBJECTS.len())],
                    TAILS[next(TAILS.len())],
                    next(40),
                    next(10),
                    1990 + (a * 7 + p * 3 + s) % 35,
                ));
            }
            text.push('\n');
        }
    }
    text
}
