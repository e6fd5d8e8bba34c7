//! The Partner Help Desk's review cadence (seed 003): new partners (onboarding) every week;
//! Open partners every month, on the middle-of-the-month Friday; Select partners every
//! quarter, a third of them each month, the longest unreviewed first. Open partners come
//! before Select ones in a day's work. Distribution partners are not on the cadence.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::Serialize;

use crate::domain::{JourneyStage, Partner, Track};

/// How often the PHD reviews a partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PhdCadence {
    Weekly,
    Monthly,
    Quarterly,
}

impl PhdCadence {
    /// The cadence of a partner, or `None` when the PHD does not review it on one.
    pub fn of(partner: &Partner) -> Option<PhdCadence> {
        match (partner.track, partner.journey_stage) {
            (Track::Distribution, _) => None,
            (_, JourneyStage::Onboarding) => Some(PhdCadence::Weekly),
            (Track::Open, _) => Some(PhdCadence::Monthly),
            (Track::Select, _) => Some(PhdCadence::Quarterly),
        }
    }
}

/// A partner whose PHD review falls in the current period (or was missed before it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PhdDue {
    pub partner_id: String,
    pub partner_name: String,
    pub track: Track,
    pub cadence: PhdCadence,
    pub last_review: Option<NaiveDate>,
    /// The day the review is due: this week's Monday, this month's middle Friday, or the last
    /// day of the month for the quarterly third.
    pub due_on: NaiveDate,
    /// Due before today and still not done.
    pub overdue: bool,
}

/// The Friday of the middle of `date`'s month: the one between the 12th and the 18th.
pub fn middle_friday(date: NaiveDate) -> NaiveDate {
    let twelfth = date.with_day(12).expect("every month has a 12th");
    let ahead = (7 + Weekday::Fri.num_days_from_monday() as i64
        - twelfth.weekday().num_days_from_monday() as i64)
        % 7;
    twelfth + Days::new(ahead as u64)
}

fn month_start(date: NaiveDate) -> NaiveDate {
    date.with_day(1).expect("every month has a first day")
}

fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Days::new(date.weekday().num_days_from_monday() as u64)
}

fn month_end(date: NaiveDate) -> NaiveDate {
    month_start(date) + Months::new(1) - Days::new(1)
}

/// The reviews due as of `today` among `partners`, in the order a person works through them:
/// overdue first, Open partners before Select ones, then by due date and name.
pub fn phd_reviews_due(partners: &[Partner], today: NaiveDate) -> Vec<PhdDue> {
    let line = |p: &Partner, cadence, due_on: NaiveDate| PhdDue {
        partner_id: p.id.clone(),
        partner_name: p.name.clone(),
        track: p.track,
        cadence,
        last_review: p.last_phd_review,
        due_on,
        overdue: due_on < today,
    };
    let mut out = Vec::new();
    let mut quarterly: Vec<&Partner> = Vec::new();
    for p in partners {
        let last = p.last_phd_review;
        match PhdCadence::of(p) {
            None => {}
            Some(PhdCadence::Weekly) => {
                // Once per week (Monday to Sunday); a week missed shows as overdue since the
                // Monday of the week after the last review.
                let due_on = match last {
                    Some(on) => monday_of(on) + Days::new(7),
                    None => monday_of(today),
                };
                if due_on <= today {
                    out.push(line(p, PhdCadence::Weekly, due_on));
                }
            }
            Some(PhdCadence::Monthly) => {
                // Once per calendar month, on its middle Friday.
                let due_month = match last {
                    Some(on) => month_start(on) + Months::new(1),
                    None => month_start(today),
                };
                if due_month <= today {
                    out.push(line(p, PhdCadence::Monthly, middle_friday(due_month)));
                }
            }
            Some(PhdCadence::Quarterly) => quarterly.push(p),
        }
    }
    // A Select partner is due a quarter after its last review; each month the PHD takes a
    // third of all Select partners, those waiting longest first; the rest wait a month.
    let third = quarterly.len().div_ceil(3);
    let this_month = month_start(today);
    let mut waiting: Vec<(&Partner, NaiveDate)> = quarterly
        .into_iter()
        .filter_map(|p| {
            let due_month = match p.last_phd_review {
                Some(on) => month_start(on) + Months::new(3),
                None => this_month,
            };
            (due_month <= this_month).then_some((p, due_month))
        })
        .collect();
    waiting.sort_by(|(a, _), (b, _)| {
        a.last_phd_review
            .cmp(&b.last_phd_review)
            .then_with(|| a.name.cmp(&b.name))
    });
    for (p, due_month) in waiting.into_iter().take(third) {
        out.push(line(p, PhdCadence::Quarterly, month_end(due_month)));
    }
    out.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| (a.track != Track::Open).cmp(&(b.track != Track::Open)))
            .then_with(|| a.due_on.cmp(&b.due_on))
            .then_with(|| a.partner_name.cmp(&b.partner_name))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Region;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn partner(name: &str, track: Track, stage: JourneyStage, last: Option<&str>) -> Partner {
        let mut p = Partner::new(name, track, Region::Emea, "cam@vendor.example");
        p.journey_stage = stage;
        p.last_phd_review = last.map(d);
        p
    }

    fn due(partners: &[Partner], today: &str) -> Vec<(String, PhdCadence, NaiveDate, bool)> {
        phd_reviews_due(partners, d(today))
            .into_iter()
            .map(|l| (l.partner_name, l.cadence, l.due_on, l.overdue))
            .collect()
    }

    #[test]
    fn the_middle_friday_falls_between_the_12th_and_the_18th() {
        assert_eq!(
            middle_friday(d("2026-12-01")),
            d("2026-12-18"),
            "the 12th is a Saturday"
        );
        assert_eq!(
            middle_friday(d("2027-02-20")),
            d("2027-02-12"),
            "the 12th is a Friday"
        );
        assert_eq!(middle_friday(d("2026-11-30")), d("2026-11-13"));
        assert_eq!(
            middle_friday(d("2028-02-29")),
            d("2028-02-18"),
            "a leap February"
        );
    }

    #[test]
    fn onboarding_partners_are_reviewed_every_week() {
        let new = |last| [partner("New", Track::Open, JourneyStage::Onboarding, last)];
        // Monday 2026-12-07.
        assert_eq!(
            due(&new(None), "2026-12-07"),
            vec![("New".into(), PhdCadence::Weekly, d("2026-12-07"), false)]
        );
        assert!(
            due(&new(Some("2026-12-07")), "2026-12-13").is_empty(),
            "done this week"
        );
        assert_eq!(
            due(&new(Some("2026-12-06")), "2026-12-07"),
            vec![("New".into(), PhdCadence::Weekly, d("2026-12-07"), false)],
            "reviewed on Sunday: due again on Monday"
        );
        assert_eq!(
            due(&new(Some("2026-11-25")), "2026-12-08"),
            vec![("New".into(), PhdCadence::Weekly, d("2026-11-30"), true)],
            "last week was missed"
        );
    }

    #[test]
    fn open_partners_are_reviewed_each_month_on_its_middle_friday() {
        let open = |last| {
            [partner(
                "Open Co",
                Track::Open,
                JourneyStage::Established,
                last,
            )]
        };
        assert!(
            due(&open(Some("2026-12-02")), "2026-12-31").is_empty(),
            "done this month"
        );
        assert_eq!(
            due(&open(Some("2026-11-13")), "2026-12-01"),
            vec![(
                "Open Co".into(),
                PhdCadence::Monthly,
                d("2026-12-18"),
                false
            )]
        );
        assert_eq!(
            due(&open(Some("2026-11-13")), "2026-12-19"),
            vec![("Open Co".into(), PhdCadence::Monthly, d("2026-12-18"), true)]
        );
        assert_eq!(
            due(&open(Some("2026-09-18")), "2026-12-01"),
            vec![("Open Co".into(), PhdCadence::Monthly, d("2026-10-16"), true)],
            "two months missed: due since October's"
        );
    }

    #[test]
    fn a_third_of_the_select_partners_each_month_longest_unreviewed_first() {
        let select = |name: &str, last| partner(name, Track::Select, JourneyStage::Leading, last);
        let partners = [
            select("A", Some("2026-09-10")),
            select("B", Some("2026-08-01")),
            select("C", None),
            select("D", Some("2026-11-02")),
            select("E", Some("2026-07-15")),
            select("F", Some("2026-10-20")),
        ];
        // Six Select partners: two a month. C (never) and E (July) wait longest; B (August)
        // is due too but waits for January.
        let december = due(&partners, "2026-12-07");
        assert_eq!(
            december,
            vec![
                ("E".into(), PhdCadence::Quarterly, d("2026-10-31"), true),
                ("C".into(), PhdCadence::Quarterly, d("2026-12-31"), false),
            ]
        );
        // Once C and E are done, January takes B and A (due since November and December);
        // D and F were reviewed within the quarter.
        let mut january = partners.clone();
        january[2].last_phd_review = Some(d("2026-12-08"));
        january[4].last_phd_review = Some(d("2026-12-09"));
        let names: Vec<String> = due(&january, "2027-01-04")
            .into_iter()
            .map(|l| l.0)
            .collect();
        assert_eq!(names, ["B", "A"]);
    }

    #[test]
    fn open_comes_before_select_on_the_same_day_and_distribution_is_not_reviewed() {
        let partners = [
            partner("Select Co", Track::Select, JourneyStage::Leading, None),
            partner(
                "Open Co",
                Track::Open,
                JourneyStage::Leading,
                Some("2026-11-30"),
            ),
            partner("Dist Co", Track::Distribution, JourneyStage::Leading, None),
            partner(
                "Dist New",
                Track::Distribution,
                JourneyStage::Onboarding,
                None,
            ),
        ];
        let lines = due(&partners, "2026-12-10");
        let names: Vec<&str> = lines.iter().map(|l| l.0.as_str()).collect();
        assert_eq!(names, ["Open Co", "Select Co"]);
    }
}
