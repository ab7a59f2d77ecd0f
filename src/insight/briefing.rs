//! "Before you talk": what to have in mind before the next call or visit — their open needs,
//! and each promise I made with where it stands. A promise written in a conversation ("what I
//! promised") is only open once it has a follow-up; one that never got a date reads as "said,
//! never scheduled", so the briefing agrees with the promise ledger's count of open promises.

use crate::model::relationship::{
    Related, RelationKind, Role, Side, group_heading, grouped, people,
};
use crate::model::{FollowUp, FollowUpStatus, Initiator, Interaction};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// How many promises the briefing lists; the history below has the rest.
const PROMISES_SHOWN: usize = 4;
/// How many recent conversations are read for promises that were never scheduled.
const CONVERSATIONS_READ: usize = 5;

/// Where one of my promises stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromiseState {
    /// A follow-up is open for it, due then (`has_time`: at that time, else that day).
    Open { due: NaiveDateTime, has_time: bool },
    /// Said in a conversation on that day; no follow-up was ever made for it.
    SaidNeverScheduled { said_on: NaiveDate },
    /// Its follow-up was done, on time or late.
    Kept { on: Option<NaiveDate>, late: bool },
    /// Its follow-up was marked missed.
    Broken,
    /// Its follow-up was cancelled.
    Dropped,
}

/// One promise of mine in the briefing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BriefingPromise {
    pub text: String,
    pub state: PromiseState,
}

impl BriefingPromise {
    /// True for a promise still waiting to be kept (the ones the ledger counts as open).
    pub fn is_open(&self) -> bool {
        matches!(self.state, PromiseState::Open { .. })
    }

    /// Where it stands, in words: "due 12 Dec" (open), "said 6 Oct, never scheduled", "kept 3 Nov".
    pub fn status_text(&self) -> String {
        match &self.state {
            PromiseState::Open { due, has_time } => {
                let format = if *has_time { "%-d %b %H:%M" } else { "%-d %b" };
                format!("due {}", due.format(format))
            }
            PromiseState::SaidNeverScheduled { said_on } => {
                format!("said {}, never scheduled", said_on.format("%-d %b"))
            }
            PromiseState::Kept { on, late } => {
                let kept = if *late { "kept late" } else { "kept" };
                match on {
                    Some(day) => format!("{kept} {}", day.format("%-d %b")),
                    None => kept.to_owned(),
                }
            }
            PromiseState::Broken => "broken".to_owned(),
            PromiseState::Dropped => "cancelled".to_owned(),
        }
    }
}

/// What to remember before talking to someone.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Briefing {
    /// "What they need" from recent conversations, newest first, with when it was said.
    pub open_needs: Vec<(NaiveDateTime, String)>,
    /// My promises: open ones first (soonest due), then those from recent conversations with
    /// where they stand (never scheduled, kept, broken), newest first.
    pub promises: Vec<BriefingPromise>,
    pub last_no_show: Option<NaiveDateTime>,
    /// How they are related to other contacts, in a line: "Married to Ana Lima · Referred by
    /// Tom Weber" (`relationships_line`; empty when none are recorded).
    pub relationships: String,
}

/// Builds the briefing from recent conversations (newest first) and the contact's follow-ups.
pub fn briefing(
    recent: &[Interaction],
    follow_ups: &[FollowUp],
    last_no_show: Option<NaiveDateTime>,
) -> Briefing {
    let open_needs = recent
        .iter()
        .filter(|i| !i.draft.they_need.trim().is_empty())
        .take(3)
        .map(|i| (i.draft.occurred_at, i.draft.they_need.clone()))
        .collect();
    let mine = || {
        follow_ups
            .iter()
            .filter(|f| f.draft.promised_by == Initiator::Me)
    };
    let mut promises: Vec<BriefingPromise> = mine()
        .filter(|f| f.status == FollowUpStatus::Open)
        .map(|f| BriefingPromise {
            text: f.draft.text.clone(),
            state: follow_up_state(f),
        })
        .collect();
    promises.sort_by_key(|p| match p.state {
        PromiseState::Open { due, .. } => Some(due),
        _ => None,
    });
    for interaction in recent.iter().take(CONVERSATIONS_READ) {
        let said = interaction.draft.i_promised.trim();
        if said.is_empty() {
            continue;
        }
        // The follow-up made from this conversation, if any, says where the promise stands;
        // an open one is listed above already.
        let state = match mine().find(|f| f.draft.interaction_id == Some(interaction.id)) {
            Some(f) if f.status == FollowUpStatus::Open => continue,
            Some(f) => follow_up_state(f),
            None => PromiseState::SaidNeverScheduled {
                said_on: interaction.draft.occurred_at.date(),
            },
        };
        promises.push(BriefingPromise {
            text: said.to_owned(),
            state,
        });
    }
    promises.truncate(PROMISES_SHOWN);
    Briefing {
        open_needs,
        promises,
        last_no_show,
        relationships: String::new(),
    }
}

/// How many kinds of relationship the briefing names; the page lists them all.
const RELATIONSHIP_GROUPS_SHOWN: usize = 5;

/// A contact's relationships in one line for the briefing, family first: "Married to Ana Lima
/// · Parent of Leo Lima and Mia Lima · Referred by Tom Weber · Referred 3 people (2 are
/// customers)".
pub fn relationships_line(lines: &[Related]) -> String {
    let groups = grouped(lines);
    let mut parts: Vec<String> = groups
        .iter()
        .take(RELATIONSHIP_GROUPS_SHOWN)
        .map(|(role, members)| {
            let names: Vec<&str> = members.iter().map(|r| r.other_name.as_str()).collect();
            match names.as_slice() {
                [one] => format!("{} {one}", role.label()),
                _ if *role == Role::of(RelationKind::Referred, Side::From) => {
                    group_heading(*role, members)
                }
                [first @ .., last] if names.len() <= 3 => {
                    format!("{} {} and {last}", role.label(), first.join(", "))
                }
                _ => format!("{} {}", role.label(), people(names.len())),
            }
        })
        .collect();
    if groups.len() > RELATIONSHIP_GROUPS_SHOWN {
        parts.push("…".to_owned());
    }
    parts.join(" · ")
}

fn follow_up_state(f: &FollowUp) -> PromiseState {
    match f.status {
        FollowUpStatus::Open => PromiseState::Open {
            due: f
                .draft
                .due_date
                .and_time(f.draft.due_time.unwrap_or(NaiveTime::MIN)),
            has_time: f.draft.due_time.is_some(),
        },
        FollowUpStatus::Done | FollowUpStatus::DoneLate => PromiseState::Kept {
            on: f.completed_at.map(|at| at.date()),
            late: f.status == FollowUpStatus::DoneLate,
        },
        FollowUpStatus::Missed => PromiseState::Broken,
        FollowUpStatus::Cancelled => PromiseState::Dropped,
    }
}

#[cfg(test)]
mod relationship_tests {
    use super::relationships_line;
    use crate::model::relationship::{Related, Role};
    use crate::model::{ContactId, Stage};

    fn related(word: &str, id: i64, name: &str, stage: Stage) -> Related {
        Related {
            id,
            role: Role::from_word(word).unwrap(),
            other: ContactId(id),
            other_name: name.to_owned(),
            other_stage: stage,
            other_in_trash: false,
            note: String::new(),
        }
    }

    #[test]
    fn the_briefing_names_family_first_and_counts_referrals() {
        assert_eq!(relationships_line(&[]), "");
        let lines = [
            related("referred-by", 1, "Tom Weber", Stage::Customer),
            related("spouse", 2, "Ana Lima", Stage::Friend),
            related("parent-of", 3, "Mia Lima", Stage::Prospect),
            related("parent-of", 4, "Leo Lima", Stage::Prospect),
            related("referred", 5, "Ben Brook", Stage::Customer),
            related("referred", 6, "Cleo Costa", Stage::Prospect),
        ];
        assert_eq!(
            relationships_line(&lines),
            "Married to Ana Lima · Parent of Leo Lima and Mia Lima · Referred by Tom Weber · Referred 2 people (1 is a customer)"
        );
        let colleagues: Vec<Related> = (10..15)
            .map(|id| related("colleague", id, &format!("P{id}"), Stage::Prospect))
            .collect();
        assert_eq!(relationships_line(&colleagues), "Colleague of 5 people");
    }
}
