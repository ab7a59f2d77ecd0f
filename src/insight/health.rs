//! Relationship health: an explainable judgement per contact, not a magic number. Each reason
//! is a sentence the owner can act on ("You promised a quote 9 days ago"); the score is only
//! 100 minus what the reasons cost, so sorting by it puts the people who need you first.

pub use crate::model::HealthLevel;
use crate::model::{Channel, ContactId, Outcome, Purpose, Stage};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// How many recent conversations the balance checks (sales-only, electronic-only) look at.
pub const RECENT_TOUCHES: usize = 5;
/// Customers with no cadence of their own are expected to hear from you this often.
pub const DEFAULT_CUSTOMER_CADENCE_DAYS: i64 = 90;
/// A decision maker at a customer untouched this long needs attention.
pub const DECISION_MAKER_QUIET_DAYS: i64 = 60;

/// One conversation as the health rules see it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Touch {
    pub at: NaiveDateTime,
    pub channel: Channel,
    pub purpose: Purpose,
    pub outcome: Outcome,
}

/// A promise I made that is still open, with when it was made and when it was due.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenPromise {
    pub text: String,
    pub made_on: NaiveDate,
    pub due_at: NaiveDateTime,
}

/// Everything the rules need about one contact, gathered by the store in one pass.
#[derive(Clone, Debug, PartialEq)]
pub struct HealthInput {
    pub contact_id: ContactId,
    pub stage: Stage,
    pub is_decision_maker: bool,
    /// The contact's own cadence, else the shortest of their tags'.
    pub cadence_days: Option<i64>,
    pub added_on: NaiveDate,
    /// Past conversations, newest first, at most `RECENT_TOUCHES`.
    pub recent: Vec<Touch>,
    /// The last conversation that was held (not a no-show or a cancellation).
    pub last_held: Option<NaiveDateTime>,
    /// No-shows in the last 365 days.
    pub no_shows_last_year: u32,
    /// My promises still open, soonest due first.
    pub open_promises: Vec<OpenPromise>,
    /// My promises marked missed in the last 365 days.
    pub broken_last_year: u32,
    /// My promises kept (on time or late), ever.
    pub kept: u32,
}

impl HealthInput {
    /// A contact added on `added_on` with nothing recorded yet.
    pub fn new(contact_id: ContactId, added_on: NaiveDate) -> Self {
        Self {
            contact_id,
            stage: Stage::Prospect,
            is_decision_maker: false,
            cadence_days: None,
            added_on,
            recent: Vec::new(),
            last_held: None,
            no_shows_last_year: 0,
            open_promises: Vec::new(),
            broken_last_year: 0,
            kept: 0,
        }
    }
}

/// Why a relationship needs care. Ordered by how urgently it asks for action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HealthReason {
    /// A promise of mine is past due.
    PromiseOverdue {
        text: String,
        made_days_ago: i64,
        overdue_days: i64,
        more: usize,
    },
    /// A decision maker at a customer has not heard from me for long.
    DecisionMakerQuiet { days: Option<i64> },
    /// Past the keep-in-touch cadence.
    GoingCold {
        days: Option<i64>,
        cadence_days: i64,
        default_cadence: bool,
    },
    /// Every recent touch was about selling.
    SalesOnly { count: usize },
    /// I broke promises to them this year.
    PromisesBroken { count: u32 },
    /// Every recent touch was e-mail, text, letter or a note.
    ElectronicOnly { count: usize },
    /// They stood me up this year.
    NoShows { count: u32 },
}

impl HealthReason {
    /// What this reason takes off the score of 100.
    pub fn penalty(&self) -> i64 {
        match self {
            HealthReason::PromiseOverdue { more, .. } => 30 + 5 * (*more as i64).min(4),
            HealthReason::DecisionMakerQuiet { .. } => 30,
            HealthReason::GoingCold {
                days, cadence_days, ..
            } => {
                // Longer past the cadence costs more, up to 20 more.
                let over = days.map_or(*cadence_days, |d| d - cadence_days).max(0);
                26 + (20 * over / (*cadence_days).max(1)).min(20)
            }
            HealthReason::SalesOnly { .. } => 26,
            HealthReason::PromisesBroken { count } => 26 + 7 * (i64::from(*count) - 1).clamp(0, 2),
            HealthReason::ElectronicOnly { .. } => 10,
            HealthReason::NoShows { count } => (5 * *count as i64).min(15),
        }
    }

    /// True when the owner should act on it (it puts the contact on the attention list).
    /// Each of these costs at least 26 points, so a contact that needs attention is never in
    /// the healthy band. No-shows are theirs to fix and an all-electronic streak is a nudge:
    /// both are told in the tooltip but do not put anyone on the list.
    pub fn asks_for_action(&self) -> bool {
        !matches!(
            self,
            HealthReason::NoShows { .. } | HealthReason::ElectronicOnly { .. }
        )
    }

    /// The reason as a sentence for a tooltip or the attention list.
    pub fn sentence(&self) -> String {
        let days_text = |days: &Option<i64>| match days {
            Some(d) => format!("No conversation for {d} days"),
            None => "No conversation yet".to_owned(),
        };
        match self {
            HealthReason::PromiseOverdue {
                text,
                made_days_ago,
                overdue_days,
                more,
            } => {
                let when = match made_days_ago {
                    0 => "today".to_owned(),
                    1 => "yesterday".to_owned(),
                    d => format!("{d} days ago"),
                };
                let late = match overdue_days {
                    0 => "due today, not done".to_owned(),
                    1 => "1 day late".to_owned(),
                    d => format!("{d} days late"),
                };
                let others = match more {
                    0 => String::new(),
                    1 => " (and 1 more promise overdue)".to_owned(),
                    n => format!(" (and {n} more promises overdue)"),
                };
                format!("You promised \u{201c}{text}\u{201d} {when} — {late}{others}")
            }
            HealthReason::DecisionMakerQuiet { days } => {
                format!("{} with this decision maker at a customer", days_text(days))
            }
            HealthReason::GoingCold {
                days,
                cadence_days,
                default_cadence,
            } => {
                let wanted = if *default_cadence {
                    format!("customers should hear from you every {cadence_days} days")
                } else {
                    format!("you wanted every {cadence_days} days")
                };
                format!("{}; {wanted}", days_text(days))
            }
            HealthReason::SalesOnly { count } => {
                format!("Last {count} touches were all sales — call just to listen")
            }
            HealthReason::PromisesBroken { count } => match count {
                1 => "You broke a promise to them this year".to_owned(),
                n => format!("You broke {n} promises to them this year"),
            },
            HealthReason::ElectronicOnly { count } => format!(
                "Last {count} touches were all e-mail, text or letters — talk in person when you can"
            ),
            HealthReason::NoShows { count } => match count {
                1 => "Stood you up once this year".to_owned(),
                n => format!("Stood you up {n} times this year"),
            },
        }
    }

    /// A short word for the kind of reason, for filters and the command line.
    pub fn key(&self) -> &'static str {
        match self {
            HealthReason::PromiseOverdue { .. } => "promise_overdue",
            HealthReason::DecisionMakerQuiet { .. } => "decision_maker_quiet",
            HealthReason::GoingCold { .. } => "going_cold",
            HealthReason::SalesOnly { .. } => "sales_only",
            HealthReason::PromisesBroken { .. } => "promises_broken",
            HealthReason::ElectronicOnly { .. } => "electronic_only",
            HealthReason::NoShows { .. } => "no_shows",
        }
    }
}

/// The judgement on one relationship.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// 100 minus the reasons' penalties, at least 0.
    pub score: i64,
    pub level: HealthLevel,
    /// Most urgent first.
    pub reasons: Vec<HealthReason>,
    /// Good things worth saying in the tooltip ("Kept 5 promises").
    pub strengths: Vec<String>,
}

impl Health {
    /// True when any reason asks the owner to act.
    pub fn needs_attention(&self) -> bool {
        self.reasons.iter().any(HealthReason::asks_for_action)
    }

    /// Every reason as a sentence, most urgent first; a plain "all good" when there is none.
    pub fn explanation(&self) -> Vec<String> {
        if self.reasons.is_empty() {
            let mut lines = vec!["Nothing needs attention".to_owned()];
            lines.extend(self.strengths.iter().cloned());
            return lines;
        }
        let mut lines: Vec<String> = self.reasons.iter().map(HealthReason::sentence).collect();
        lines.extend(self.strengths.iter().cloned());
        lines
    }
}

/// Judges one relationship as of `now`.
pub fn health(input: &HealthInput, now: NaiveDateTime) -> Health {
    let today = now.date();
    let mut reasons = Vec::new();
    let mut strengths = Vec::new();

    // Promises I have not kept in time come first: customers remember them.
    let overdue: Vec<&OpenPromise> = input
        .open_promises
        .iter()
        .filter(|p| p.due_at < now)
        .collect();
    if let Some(first) = overdue.first() {
        reasons.push(HealthReason::PromiseOverdue {
            text: first.text.clone(),
            made_days_ago: (today - first.made_on).num_days().max(0),
            overdue_days: (today - first.due_at.date()).num_days().max(0),
            more: overdue.len() - 1,
        });
    }

    let days_quiet = input
        .last_held
        .map(|t| (today - t.date()).num_days().max(0));
    let days_since_added = (today - input.added_on).num_days().max(0);
    let quiet_for = days_quiet.unwrap_or(days_since_added);
    let is_customer = matches!(input.stage, Stage::Customer | Stage::Loyal);

    if input.is_decision_maker && is_customer && quiet_for > DECISION_MAKER_QUIET_DAYS {
        reasons.push(HealthReason::DecisionMakerQuiet { days: days_quiet });
    } else {
        let (cadence, default_cadence) = match input.cadence_days {
            Some(days) => (Some(days), false),
            None if is_customer => (Some(DEFAULT_CUSTOMER_CADENCE_DAYS), true),
            None => (None, false),
        };
        if let Some(cadence_days) = cadence
            && quiet_for > cadence_days
        {
            reasons.push(HealthReason::GoingCold {
                days: days_quiet,
                cadence_days,
                default_cadence,
            });
        }
    }

    // The balance of the last few conversations that were held.
    let held: Vec<&Touch> = input
        .recent
        .iter()
        .filter(|t| t.outcome == Outcome::Held)
        .collect();
    if held.len() >= 3 {
        if held.iter().all(|t| t.purpose == Purpose::Sales) {
            reasons.push(HealthReason::SalesOnly { count: held.len() });
        } else {
            let listening = held.iter().filter(|t| t.purpose != Purpose::Sales).count();
            strengths.push(format!(
                "{listening} of the last {} touches were not about selling",
                held.len()
            ));
        }
        if held.iter().all(|t| !t.channel.is_personal()) {
            reasons.push(HealthReason::ElectronicOnly { count: held.len() });
        }
    }

    if input.broken_last_year > 0 {
        reasons.push(HealthReason::PromisesBroken {
            count: input.broken_last_year,
        });
    }
    if input.no_shows_last_year > 0 {
        reasons.push(HealthReason::NoShows {
            count: input.no_shows_last_year,
        });
    }
    if input.kept > 0 {
        strengths.push(match input.kept {
            1 => "Kept 1 promise".to_owned(),
            n => format!("Kept {n} promises"),
        });
    }
    if let Some(days) = days_quiet
        && !reasons.iter().any(|r| {
            matches!(
                r,
                HealthReason::GoingCold { .. } | HealthReason::DecisionMakerQuiet { .. }
            )
        })
    {
        strengths.push(match days {
            0 => "Talked today".to_owned(),
            1 => "Talked yesterday".to_owned(),
            d => format!("Talked {d} days ago"),
        });
    }

    let score = (100 - reasons.iter().map(HealthReason::penalty).sum::<i64>()).max(0);
    Health {
        score,
        level: HealthLevel::from_score(score),
        reasons,
        strengths,
    }
}

/// One line of the "needs attention" list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttentionItem {
    pub contact_id: ContactId,
    pub name: String,
    pub organization: String,
    pub score: i64,
    pub level: HealthLevel,
    /// The most urgent reason first.
    pub reasons: Vec<String>,
    pub reason_keys: Vec<String>,
}

/// The kinds of reason that put someone on the attention list, most urgent first, spelled as
/// serde names them in the stored judgement (`contact_health.health_json`). Among equal scores
/// the most urgent first reason comes first, then the name. The store sorts by this inside SQL
/// (before any LIMIT), so the dashboard, `rapport attention` and the weakest-first contact list
/// read one order: sorting in Rust after the LIMIT once cut off people the CLI ranked higher.
pub const ATTENTION_URGENCY: [&str; 5] = [
    "PromiseOverdue",
    "DecisionMakerQuiet",
    "GoingCold",
    "SalesOnly",
    "PromisesBroken",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }
    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn touch(when: &str, channel: Channel, purpose: Purpose) -> Touch {
        Touch {
            at: at(when),
            channel,
            purpose,
            outcome: Outcome::Held,
        }
    }
    const NOW: &str = "2026-03-10 14:00";

    #[test]
    fn a_new_prospect_with_nothing_recorded_is_healthy() {
        let input = HealthInput::new(ContactId(1), day("2026-01-01"));
        let h = health(&input, at(NOW));
        assert_eq!(h.score, 100);
        assert_eq!(h.level, HealthLevel::Good);
        assert!(!h.needs_attention());
        assert_eq!(h.explanation(), vec!["Nothing needs attention"]);
    }

    #[test]
    fn an_overdue_promise_is_told_in_words() {
        let mut input = HealthInput::new(ContactId(1), day("2025-01-01"));
        input.last_held = Some(at("2026-03-01 10:00"));
        input.open_promises = vec![
            OpenPromise {
                text: "a quote".into(),
                made_on: day("2026-03-01"),
                due_at: at("2026-03-07 17:00"),
            },
            OpenPromise {
                text: "not yet due".into(),
                made_on: day("2026-03-01"),
                due_at: at("2026-03-20 09:00"),
            },
        ];
        let h = health(&input, at(NOW));
        assert_eq!(
            h.reasons,
            vec![HealthReason::PromiseOverdue {
                text: "a quote".into(),
                made_days_ago: 9,
                overdue_days: 3,
                more: 0
            }]
        );
        assert_eq!(
            h.explanation()[0],
            "You promised \u{201c}a quote\u{201d} 9 days ago — 3 days late"
        );
        assert_eq!(h.score, 70);
        assert_eq!(h.level, HealthLevel::Watch);
        assert!(h.needs_attention());
    }

    #[test]
    fn going_cold_counts_from_the_last_held_conversation_against_the_cadence() {
        let mut input = HealthInput::new(ContactId(1), day("2025-01-01"));
        input.cadence_days = Some(30);
        input.last_held = Some(at("2026-01-29 10:00")); // 40 days before NOW
        let h = health(&input, at(NOW));
        assert_eq!(
            h.reasons,
            vec![HealthReason::GoingCold {
                days: Some(40),
                cadence_days: 30,
                default_cadence: false
            }]
        );
        assert_eq!(
            h.reasons[0].sentence(),
            "No conversation for 40 days; you wanted every 30 days"
        );
        // 10 days over a 30-day cadence: 26 + 20 * 10 / 30 = 32.
        assert_eq!(h.score, 68);
        assert_eq!(h.level, HealthLevel::Watch);

        // Within the cadence: nothing to say about recency.
        input.last_held = Some(at("2026-02-20 10:00"));
        assert!(health(&input, at(NOW)).reasons.is_empty());
    }

    #[test]
    fn customers_without_a_cadence_get_the_default_one() {
        let mut input = HealthInput::new(ContactId(1), day("2025-01-01"));
        input.stage = Stage::Customer;
        input.last_held = Some(at("2025-11-01 10:00")); // 129 days
        let h = health(&input, at(NOW));
        assert!(matches!(
            h.reasons[0],
            HealthReason::GoingCold {
                default_cadence: true,
                cadence_days: 90,
                ..
            }
        ));
        // A prospect with no cadence is not chased.
        input.stage = Stage::Prospect;
        assert!(health(&input, at(NOW)).reasons.is_empty());
    }

    #[test]
    fn a_quiet_decision_maker_at_a_customer_is_flagged_instead_of_going_cold() {
        let mut input = HealthInput::new(ContactId(1), day("2025-01-01"));
        input.stage = Stage::Loyal;
        input.is_decision_maker = true;
        input.last_held = Some(at("2025-12-30 10:00")); // 70 days
        let h = health(&input, at(NOW));
        assert_eq!(
            h.reasons,
            vec![HealthReason::DecisionMakerQuiet { days: Some(70) }]
        );
        assert_eq!(
            h.reasons[0].sentence(),
            "No conversation for 70 days with this decision maker at a customer"
        );
    }

    #[test]
    fn sales_only_and_electronic_only_look_at_held_recent_touches() {
        let mut input = HealthInput::new(ContactId(1), day("2025-01-01"));
        input.last_held = Some(at("2026-03-09 10:00"));
        input.recent = vec![
            touch("2026-03-09 10:00", Channel::Email, Purpose::Sales),
            touch("2026-03-01 10:00", Channel::Email, Purpose::Sales),
            Touch {
                outcome: Outcome::NoShow,
                ..touch("2026-02-25 10:00", Channel::Visit, Purpose::Relationship)
            },
            touch("2026-02-20 10:00", Channel::Text, Purpose::Sales),
            touch("2026-02-10 10:00", Channel::Email, Purpose::Sales),
        ];
        let h = health(&input, at(NOW));
        assert_eq!(
            h.reasons,
            vec![
                HealthReason::SalesOnly { count: 4 },
                HealthReason::ElectronicOnly { count: 4 }
            ]
        );
        assert_eq!(
            h.reasons[0].sentence(),
            "Last 4 touches were all sales — call just to listen"
        );
        assert_eq!(h.score, 64);
        assert!(!HealthReason::ElectronicOnly { count: 4 }.asks_for_action());

        // One relationship call breaks both patterns.
        input.recent[1] = touch("2026-03-01 10:00", Channel::Call, Purpose::Relationship);
        let h = health(&input, at(NOW));
        assert!(h.reasons.is_empty());
        assert!(
            h.strengths
                .iter()
                .any(|s| s == "1 of the last 4 touches were not about selling")
        );
    }

    #[test]
    fn broken_promises_and_no_shows_cost_but_only_mine_ask_for_action() {
        let mut input = HealthInput::new(ContactId(1), day("2025-01-01"));
        input.no_shows_last_year = 2;
        let h = health(&input, at(NOW));
        assert_eq!(h.reasons, vec![HealthReason::NoShows { count: 2 }]);
        assert_eq!(h.score, 90);
        assert!(!h.needs_attention());
        assert_eq!(h.reasons[0].sentence(), "Stood you up 2 times this year");

        input.broken_last_year = 3;
        let h = health(&input, at(NOW));
        assert_eq!(h.reasons[0], HealthReason::PromisesBroken { count: 3 });
        assert_eq!(h.score, 100 - 40 - 10);
        assert!(h.needs_attention());
    }

    #[test]
    fn many_problems_make_an_at_risk_relationship() {
        let mut input = HealthInput::new(ContactId(1), day("2025-01-01"));
        input.cadence_days = Some(14);
        input.last_held = Some(at("2026-01-01 10:00"));
        input.open_promises = vec![OpenPromise {
            text: "call back".into(),
            made_on: day("2026-01-01"),
            due_at: at("2026-01-02 15:00"),
        }];
        let h = health(&input, at(NOW));
        assert_eq!(h.level, HealthLevel::AtRisk);
        assert_eq!(h.reasons[0].key(), "promise_overdue");
        assert_eq!(h.reasons[1].key(), "going_cold");
        assert_eq!(h.score, 100 - 30 - 46);
    }

    #[test]
    fn the_urgency_list_names_every_reason_that_asks_for_action_in_push_order() {
        let reasons = [
            HealthReason::PromiseOverdue {
                text: String::new(),
                made_days_ago: 1,
                overdue_days: 1,
                more: 0,
            },
            HealthReason::DecisionMakerQuiet { days: None },
            HealthReason::GoingCold {
                days: None,
                cadence_days: 30,
                default_cadence: false,
            },
            HealthReason::SalesOnly { count: 3 },
            HealthReason::PromisesBroken { count: 1 },
            HealthReason::ElectronicOnly { count: 3 },
            HealthReason::NoShows { count: 1 },
        ];
        let names: Vec<String> = reasons
            .iter()
            .filter(|r| r.asks_for_action())
            .map(|r| {
                let json = serde_json::to_value(r).unwrap();
                json.as_object().unwrap().keys().next().unwrap().clone()
            })
            .collect();
        assert_eq!(names, ATTENTION_URGENCY);
    }
}
