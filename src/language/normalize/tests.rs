//! Tables of written text and expected speech, one per language. Each row is a case a
//! listener would notice if it were read wrong.

use super::*;

fn check(lang: Language, table: &[(&str, &str)]) {
    let mut failures = Vec::new();
    for &(written, expected) in table {
        let got = normalize(written, lang).spoken;
        if got != expected {
            failures.push(format!(
                "  {written:?}\n    expected {expected:?}\n    got      {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

#[test]
fn french_table() {
    check(
        Language::French,
        &[
            // Typography
            ("l’IA", "l'i a"),
            (
                "Le cœur du débat n’est pas “qui a le meilleur modèle”.",
                "Le cœur du débat n'est pas qui a le meilleur modèle.",
            ),
            ("« Bonjour »", "Bonjour"),
            (
                "une IA devenue “prise murale” — comme l’électricité — ne valorise plus",
                "une i a devenue prise murale, comme l'électricité, ne valorise plus",
            ),
            ("Attendez…", "Attendez..."),
            ("Un fait¹ établi [2].", "Un fait établi."),
            ("Bravo 🎉 !", "Bravo !"),
            // Numbers
            ("1 500 personnes", "mille cinq cents personnes"),
            ("1\u{202F}500 personnes", "mille cinq cents personnes"),
            ("2,5 fois", "deux virgule cinq fois"),
            ("12 000 000 d'habitants", "douze millions d'habitants"),
            ("21 ans", "vingt et un ans"),
            ("en 1945", "en mille neuf cent quarante-cinq"),
            ("il fait -5 degrés", "il fait moins cinq degrés"),
            ("la version 2.5", "la version deux point cinq"),
            ("le COVID-19", "le Covid-dix-neuf"),
            ("un MP3", "un MP3"),
            ("007", "zéro zéro sept"),
            // Ordinals
            ("le 1er mai", "le premier mai"),
            ("la 1re fois", "la première fois"),
            ("le 2e jour", "le deuxième jour"),
            ("le 21e siècle", "le vingt et unième siècle"),
            ("le 3ème étage", "le troisième étage"),
            // Roman numerals
            ("Au XIXe siècle", "Au dix-neuvième siècle"),
            ("le XXIe siècle", "le vingt et unième siècle"),
            ("François Ier", "François premier"),
            ("Louis XIV", "Louis quatorze"),
            ("Jean-Paul II", "Jean-Paul deux"),
            ("chapitre III", "chapitre trois"),
            ("la Ve République", "la cinquième République"),
            ("au XIX siècle", "au dix-neuvième siècle"),
            // Percentages, currencies
            ("30 %", "trente pour cent"),
            ("2,5 %", "deux virgule cinq pour cent"),
            ("12 M€", "douze millions d'euros"),
            ("3 Md€", "trois milliards d'euros"),
            ("1 €", "un euro"),
            ("15 €", "quinze euros"),
            ("3,50 €", "trois euros cinquante"),
            ("100 $", "cent dollars"),
            // Symbols and units
            ("R & D", "R et D"),
            ("20 °C", "vingt degrés Celsius"),
            ("130 km/h", "cent trente kilomètres heure"),
            ("5 Go", "cinq gigaoctets"),
            // Abbreviations
            ("M. Dupont", "monsieur Dupont"),
            ("Mme Curie", "madame Curie"),
            ("le Dr Martin", "le docteur Martin"),
            ("etc.", "et cetera."),
            (
                "et ainsi de suite, etc. Puis",
                "et ainsi de suite, et cetera. Puis",
            ),
            ("à 15 km/h.", "à quinze kilomètres heure."),
            ("p. ex. ceci", "par exemple ceci"),
            ("voir p. 12", "voir page douze"),
            ("le n° 5", "le numéro cinq"),
            // Acronyms
            ("l'OTAN", "l'Otan"),
            ("la SNCF", "la esse enne cé effe"),
            ("le FBI", "le effe bé i"),
            ("l'UE", "l'u eu"),
            ("la BBC", "la bé bé cé"),
            ("un XYZ", "un ixe i grec zède"),
            ("L'UNESCO", "L'Unesco"),
            // Times, dates, ranges
            ("à 14h30", "à quatorze heures trente"),
            ("à 1 h", "à une heure"),
            (
                "1939-1945",
                "mille neuf cent trente-neuf à mille neuf cent quarante-cinq",
            ),
            (
                "le 2026-11-24",
                "le vingt-quatre novembre deux mille vingt-six",
            ),
            ("le 01/05/2026", "le premier mai deux mille vingt-six"),
            // URLs
            ("sur https://www.example.com/page", "sur example point com"),
            (
                "écrire à jean.dupont@example.fr",
                "écrire à jean point dupont arobase example point fr",
            ),
            // Headlines in capitals are not acronyms
            ("LA GUERRE FROIDE DE L'IA", "la guerre froide de L'i a"),
        ],
    );
}

#[test]
fn english_table() {
    check(
        Language::English,
        &[
            ("AI’s “open” models", "ay eye's open models"),
            ("1,500 people", "one thousand five hundred people"),
            ("1,500.75", "one thousand five hundred point seven five"),
            ("3.14", "three point one four"),
            ("in 1984", "in nineteen eighty-four"),
            ("in 2026", "in twenty twenty-six"),
            ("in 2005", "in two thousand five"),
            ("the 21st century", "the twenty-first century"),
            ("the 2nd time", "the second time"),
            ("the 3rd", "the third"),
            ("the 11th hour", "the eleventh hour"),
            ("World War II", "World War two"),
            ("Henry VIII", "Henry the eighth"),
            ("Elizabeth I", "Elizabeth the first"),
            ("When I said", "When I said"),
            ("Chapter IV", "Chapter four"),
            ("50%", "fifty percent"),
            ("$3.5bn", "three point five billion dollars"),
            ("$5", "five dollars"),
            ("$3.50", "three dollars fifty"),
            ("£1", "one pound"),
            ("€12m", "twelve million euros"),
            ("Mr. Smith", "Mister Smith"),
            ("Dr. Jones", "Doctor Jones"),
            ("e.g. this", "for example this"),
            ("i.e. that", "that is that"),
            ("cats vs. dogs", "cats versus dogs"),
            ("NATO", "Nato"),
            ("the BBC", "the bee bee see"),
            ("the FBI", "the eff bee eye"),
            ("R&D", "R and D"),
            ("at 2:30 pm", "at two thirty P M"),
            ("at 9:05", "at nine oh five"),
            ("pages 12–15", "pages twelve to fifteen"),
            ("-3 degrees", "minus three degrees"),
            ("20 °C", "twenty degrees Celsius"),
            ("visit www.example.com today", "visit example dot com today"),
            (
                "on 2026-11-24",
                "on November twenty-fourth, twenty twenty-six",
            ),
            (
                "on 11/24/2026",
                "on November twenty-fourth, twenty twenty-six",
            ),
        ],
    );
}

#[test]
fn rules_fired_are_reported() {
    let n = normalize("Au XIXe siècle, l’IA coûtait 12 M€.", Language::French);
    for rule in ["apostrophe", "roman_ordinal", "currency", "acronym_spelled"] {
        assert!(n.rules.contains(&rule), "{rule} missing from {:?}", n.rules);
    }
    assert!(normalize("Rien à faire ici.", Language::French)
        .rules
        .is_empty());
}
