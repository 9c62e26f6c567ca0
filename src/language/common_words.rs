//! The most frequent words of each language articast reads: function words, greetings
//! and everyday vocabulary. Character statistics (`whatlang`) need a few sentences to be
//! sure; on a title or a one-line note these words decide ("Our new app ships today.",
//! "Bonjour, merci beaucoup."). Words shared by several languages (`a`, `de`, `la`) are
//! listed in each, so they count for none in particular.

use super::Language;

const FRENCH: &str = "le la les l un une des du de d et est en que qu qui ne n pas plus pour \
    dans sur au aux ce c cet cette ces il elle ils elles on nous vous je j tu me m te t se s \
    son sa ses leur leurs mon ma mes ton ta tes notre nos votre vos y a ont être avoir fait \
    faire dit été sont était avec sans mais ou où donc car comme si aussi bien très tout tous \
    toute toutes même entre vers chez depuis pendant avant après encore déjà jamais toujours \
    ici là oui non merci bonjour bonsoir salut beaucoup peu trop moins quand comment pourquoi \
    quoi quel quelle quels quelles rien personne chaque autre autres deux trois premier \
    première nouveau nouvelle nouveaux ville pays monde temps jour jours année ans aujourd \
    hui demain hier semaine soir matin sont sera seront peut doit faut voici voilà alors ainsi \
    selon contre sous parce lorsque puis enfin chose choses homme femme gens enfants travail";

const ENGLISH: &str = "the a an and of to in is are was were be been being it its it's this \
    that these those there their they them he she his her him we our us you your i my me \
    for on with as at by from or but not no yes so if then than when what which who whom \
    whose where why how all any each every some many much more most other new old good great \
    first last next one two three just also only very can could will would shall should may \
    might must do does did done have has had having get got make made see seen say said go \
    went gone come came know think thanks thank please hello hi today tomorrow yesterday week \
    year years day days time people world work about into over after before because while \
    up down out off again still here now never always ever well back even through between \
    under without within ships listening reading app";

const GERMAN: &str = "der die das des dem den ein eine einer eines einem einen und oder aber \
    nicht kein keine ist sind war waren wird werden wurde wurden sein hat haben hatte hatten \
    ich du er sie es wir ihr mich dich sich uns euch mein meine dein deine sein seine unser \
    mit von zu zum zur bei nach aus auf für über unter vor hinter neben zwischen durch gegen \
    ohne um an am im in ins als wie wenn dass daß weil ob auch noch schon nur sehr mehr viel \
    viele alle alles jeder jede jedes hier dort heute morgen gestern jetzt immer nie wieder \
    ja nein danke bitte hallo guten tag abend schön gut neue neuen neu jahr jahre zeit welt \
    menschen leben land stadt arbeit kann können muss müssen soll sollen will wollen gibt \
    geht gehen kommt kommen macht machen sagt sagen doch dann denn also so etwa etwas nichts \
    man zwei drei erste ersten";

const SPANISH: &str = "el la los las lo un una unos unas de del al y e o u que qué es son \
    está están era eran fue fueron ser estar ha han había hay en con por para sin sobre \
    entre hasta desde contra según durante mediante no sí ya más menos muy mucho mucha muchos \
    muchas poco pero sino porque como cómo cuando cuándo donde dónde quien quién cual cuál \
    este esta estos estas ese esa esos esas aquel su sus mi mis tu tus nuestro nuestra yo tú \
    él ella ellos ellas nosotros vosotros usted ustedes me te se nos le les también tampoco \
    siempre nunca hoy mañana ayer ahora aquí allí hola gracias adiós buenos buenas días noche \
    tarde bien mal nuevo nueva nuevos año años tiempo mundo vida país ciudad gente trabajo \
    puede pueden hacer hace dice dijo tiene tienen todo todos toda todas otro otra otros dos \
    tres primero primera qué tal";

/// The common words of `language`, lower case.
fn words(language: Language) -> &'static str {
    match language {
        Language::French => FRENCH,
        Language::English => ENGLISH,
        Language::German => GERMAN,
        Language::Spanish => SPANISH,
    }
}

/// Letters that only some of the languages use, and for which.
fn letter_hint(c: char) -> &'static [Language] {
    use Language::*;
    match c {
        'ñ' | '¿' | '¡' | 'á' | 'í' | 'ó' | 'ú' => &[Spanish],
        'ß' | 'ä' | 'ö' => &[German],
        'ü' => &[German, Spanish],
        'ç' | 'à' | 'è' | 'ê' | 'ë' | 'î' | 'ï' | 'ô' | 'œ' | 'ù' | 'û' | 'â' => {
            &[French]
        }
        'é' => &[French, Spanish],
        _ => &[],
    }
}

/// How strongly `text` looks like each language: one point per common word, half a
/// point per telling letter. Also returns the number of words seen.
pub fn scores(text: &str) -> ([f64; 4], usize) {
    let mut scores = [0.0; 4];
    let mut count = 0;
    let lower = text.to_lowercase();
    for word in lower.split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '’')) {
        // Elided articles and pronouns: "l'article", "qu'il", "aujourd'hui".
        for part in word.split(['\'', '’']).filter(|p| !p.is_empty()) {
            count += 1;
            for (i, lang) in Language::ALL.iter().enumerate() {
                if words(*lang).split_whitespace().any(|w| w == part) {
                    scores[i] += 1.0;
                }
            }
        }
    }
    for c in lower.chars() {
        for lang in letter_hint(c) {
            let i = Language::ALL.iter().position(|l| l == lang).unwrap_or(0);
            scores[i] += 0.5;
        }
    }
    (scores, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(text: &str) -> Language {
        let (s, _) = scores(text);
        let i = (0..4)
            .max_by(|&a, &b| s[a].partial_cmp(&s[b]).unwrap())
            .unwrap();
        Language::ALL[i]
    }

    #[test]
    fn short_texts_lean_the_right_way() {
        assert_eq!(best("Our new app ships today."), Language::English);
        assert_eq!(
            best("Thanks for listening, see you next week."),
            Language::English
        );
        assert_eq!(best("Bonjour, merci beaucoup."), Language::French);
        assert_eq!(best("Guten Morgen, danke schön."), Language::German);
        assert_eq!(best("Hola, ¿qué tal?"), Language::Spanish);
        assert_eq!(best("L'accueil de l'hôtel."), Language::French);
    }
}
