//! The ScrapingHub article extraction benchmark's metric (its `evaluate.py`), shared by
//! the extraction and scrape benchmarks: word 4-gram shingles of an extracted text
//! against a reference, true and false positives and negatives normalized per page,
//! precision and recall averaged over pages, F1 of the two averages.

use std::collections::HashMap;

/// Words as the ScrapingHub evaluation splits them (Python's `\w+`).
pub fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Counts of word 4-grams (a text shorter than four words is one shingle).
pub fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let words = tokens(text);
    let mut counts = HashMap::new();
    if words.is_empty() {
        return counts;
    }
    let n = 4.min(words.len());
    for gram in words.windows(n) {
        *counts.entry(gram.to_vec()).or_insert(0) += 1;
    }
    counts
}

/// True positives, false positives, false negatives, normalized to sum to one.
pub fn matching(reference: &str, extracted: &str) -> (f64, f64, f64) {
    let truth = shingles(reference);
    let got = shingles(extracted);
    let (mut tp, mut fp, mut fneg) = (0.0, 0.0, 0.0);
    for (gram, &t) in &truth {
        let p = got.get(gram).copied().unwrap_or(0);
        tp += t.min(p) as f64;
        fneg += t.saturating_sub(p) as f64;
    }
    for (gram, &p) in &got {
        let t = truth.get(gram).copied().unwrap_or(0);
        fp += p.saturating_sub(t) as f64;
    }
    let sum = tp + fp + fneg;
    if sum > 0.0 {
        (tp / sum, fp / sum, fneg / sum)
    } else {
        (0.0, 0.0, 0.0)
    }
}

pub fn precision((tp, fp, fneg): (f64, f64, f64)) -> f64 {
    if fp == 0.0 && fneg == 0.0 {
        1.0
    } else if tp == 0.0 && fp == 0.0 {
        0.0
    } else {
        tp / (tp + fp)
    }
}

pub fn recall((tp, fp, fneg): (f64, f64, f64)) -> f64 {
    if fp == 0.0 && fneg == 0.0 {
        1.0
    } else if tp == 0.0 && fneg == 0.0 {
        0.0
    } else {
        tp / (tp + fneg)
    }
}

/// One page's F1.
pub fn page_f1(r: (f64, f64, f64)) -> f64 {
    let (p, r) = (precision(r), recall(r));
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// Precision and recall averaged over pages (pages with nothing to score skipped, as
/// the reference script does), and F1 of the two averages.
pub fn scores(results: &[(f64, f64, f64)]) -> (f64, f64, f64) {
    let mean = |values: Vec<f64>| values.iter().sum::<f64>() / values.len().max(1) as f64;
    let p = mean(
        results
            .iter()
            .filter(|r| r.0 + r.1 > 0.0)
            .map(|&r| precision(r))
            .collect(),
    );
    let r = mean(
        results
            .iter()
            .filter(|r| r.0 + r.2 > 0.0)
            .map(|&r| recall(r))
            .collect(),
    );
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (f1, p, r)
}
