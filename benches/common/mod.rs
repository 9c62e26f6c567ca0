//! Shared by the benchmarks: generated article text.

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
