//! Fills the `{slot}`s of the templates in [`super::words`] with names and vocabulary.

use chrono::{Datelike, Duration, NaiveDate};

use super::rng::Rng;
use super::words::*;
use crate::domain::{JourneyStage, Region, ServiceOffering};

/// What a template is being filled about.
pub(super) struct Filler<'a> {
    pub partner: &'a str,
    /// The customer account in question (any of the partner's when the note has none).
    pub customer: &'a str,
    /// Names of the partner's people.
    pub people: &'a [String],
    pub region: Region,
    pub today: NaiveDate,
}

impl Filler<'_> {
    /// `template` with every `{slot}` replaced; an unknown slot is left as written.
    pub fn fill(&self, rng: &mut Rng, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 40);
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            let slot = &rest[start + 1..start + len];
            if !self.slot(rng, slot, &mut out) {
                out.push_str(&rest[start..=start + len]);
            }
            rest = &rest[start + len + 1..];
        }
        out.push_str(rest);
        out
    }

    /// `count` templates picked from `templates` (distinct), filled and joined by `sep`.
    pub fn sentences(&self, rng: &mut Rng, templates: &[&str], count: usize, sep: &str) -> String {
        let mut order = rng.sample(templates, count);
        // Shuffle so a body does not always follow the list order.
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        order
            .into_iter()
            .map(|t| self.fill(rng, t))
            .collect::<Vec<_>>()
            .join(sep)
    }

    fn slot(&self, rng: &mut Rng, slot: &str, out: &mut String) -> bool {
        match slot {
            "partner" => out.push_str(self.partner),
            "customer" => out.push_str(self.customer),
            "person" if self.people.is_empty() => out.push_str("their lead engineer"),
            "person" => out.push_str(&rng.pick(self.people)[..]),
            "persona" => out.push_str(word(rng, PERSONAS)),
            "topic" | "topic2" => out.push_str(word(rng, TOPICS)),
            "competitor" | "competitor2" => out.push_str(word(rng, COMPETITORS)),
            "pain" => out.push_str(word(rng, PAINS)),
            "objection" => out.push_str(word(rng, OBJECTIONS)),
            "objection_short" => out.push_str(word(rng, OBJECTIONS_SHORT)),
            "uncovered" => out.push_str(word(rng, UNCOVERED)),
            "understanding" => out.push_str(&rng.pick(UNDERSTANDING).to_lowercase()),
            "industry" => out.push_str(&rng.pick(ACCOUNT_INDUSTRY).to_lowercase()),
            "offering" => {
                out.push_str(&rng.pick(ServiceOffering::ALL).label().to_lowercase());
            }
            "stage" => out.push_str(rng.pick(JourneyStage::ALL).label()),
            "city" => out.push_str(word(rng, cities(self.region))),
            "cloud" => out.push_str(word(rng, CLOUDS)),
            "role" => out.push_str(&rng.pick(ROLES).0.to_lowercase()),
            "seats" => out.push_str(&(rng.between(2, 60) * 25).to_string()),
            "logos" => out.push_str(&rng.between(3, 25).to_string()),
            "days" => out.push_str(&rng.between(10, 90).to_string()),
            "amount" => out.push_str(&format!("${},000", rng.between(4, 240))),
            "quarter" => {
                let date = self.today + Duration::days(rng.between(0, 365));
                let quarter = (date.month0() / 3) + 1;
                out.push_str(&format!("Q{quarter} {}", date.year()));
            }
            "date" => {
                let date = self.today + Duration::days(rng.between(3, 40));
                out.push_str(&date.format("%B %-d").to_string());
            }
            _ => return false,
        }
        true
    }
}

/// One of `words`.
fn word<'a>(rng: &mut Rng, words: &[&'a str]) -> &'a str {
    words[rng.below(words.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_fills_every_slot() {
        let people = vec!["Ana Silva".to_string()];
        let f = Filler {
            partner: "Cobalt Forge GmbH",
            customer: "Aurora Bank",
            people: &people,
            region: Region::Emea,
            today: "2026-11-23".parse().unwrap(),
        };
        let mut rng = Rng::new(3);
        for list in [
            NOTE_TITLES,
            NOTE_SENTENCES,
            NEXT_STEPS,
            ACCOUNT_NOTES,
            PLAN_GOALS,
            PLAN_MARKETING,
        ] {
            for t in list {
                let filled = f.fill(&mut rng, t);
                assert!(
                    !filled.contains('{') && !filled.contains('}'),
                    "{t:?} -> {filled:?}"
                );
            }
        }
    }

    #[test]
    fn an_unknown_slot_is_left_as_written() {
        let f = Filler {
            partner: "P",
            customer: "C",
            people: &[],
            region: Region::Apac,
            today: "2026-11-23".parse().unwrap(),
        };
        assert_eq!(
            f.fill(&mut Rng::new(1), "a {nope} b {partner}"),
            "a {nope} b P"
        );
    }
}
