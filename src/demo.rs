//! Realistic, varied demo data: people at small businesses, and years of conversations across
//! every channel, purpose and outcome; their relationships and custom fields
//! (`connections`). Pure generation from a seed; `fill` writes it through the store's bulk
//! writer in one transaction.

mod connections;

use crate::model::{
    Birthday, Channel, ContactDraft, ContactId, Email, FollowUpDraft, FollowUpStatus, Initiator,
    InteractionDraft, Outcome, Phone, Purpose, Stage,
};
use crate::store::{Result, Store};
use chrono::{Duration, NaiveDateTime, NaiveTime};

const GIVEN: &[&str] = &[
    "Maria", "James", "Aisha", "Kenji", "Sofia", "Liam", "Fatima", "Noah", "Chloé", "Mateo",
    "Priya", "Oliver", "Zanele", "Lucas", "Ingrid", "Omar", "Hannah", "Diego", "Mei", "Tomasz",
    "Amara", "Ethan", "Yuki", "Gabriel", "Leila", "Samuel", "Elena", "Kwame", "Freya", "Rafael",
    "Björn", "Nadia", "Arjun", "Isabel", "Hugo", "Aaliyah", "Jonas", "Camila", "Felix", "Ana",
];
const FAMILY: &[&str] = &[
    "García",
    "Smith",
    "Okafor",
    "Tanaka",
    "Rossi",
    "Murphy",
    "Haddad",
    "Müller",
    "Dubois",
    "Silva",
    "Patel",
    "Johnson",
    "Nkosi",
    "Novak",
    "Larsen",
    "Khan",
    "Schmidt",
    "Fernández",
    "Chen",
    "Kowalski",
    "Mensah",
    "Brown",
    "Sato",
    "Moreau",
    "Rahman",
    "Cohen",
    "Ivanova",
    "Boateng",
    "Andersson",
    "Costa",
    "Lindqvist",
    "Hassan",
    "Iyer",
    "Ortega",
    "Fischer",
    "Ali",
];
const BUSINESS_KIND: &[&str] = &[
    "Bakery",
    "Hardware",
    "Florist",
    "Dental Clinic",
    "Print Shop",
    "Café",
    "Garage",
    "Bookshop",
    "Bistro",
    "Salon",
    "Plumbing",
    "Pharmacy",
    "Studio",
    "Outfitters",
    "Builders",
    "Deli",
];
const BUSINESS_NAME: &[&str] = &[
    "Northside",
    "Harbor",
    "Maple",
    "Golden Crust",
    "Riverside",
    "Blue Door",
    "Oak & Iron",
    "Sunrise",
    "Corner",
    "Old Town",
    "Greenway",
    "Lighthouse",
    "Union",
    "Meadow",
    "Summit",
    "Copper Kettle",
    "Parkview",
    "Westgate",
    "Hilltop",
    "Station",
];
const TITLES: &[(&str, bool)] = &[
    ("Owner", true),
    ("Managing Director", true),
    ("Purchasing Manager", true),
    ("Buyer", false),
    ("Office Manager", false),
    ("Head Chef", false),
    ("Accountant", false),
    ("Store Manager", true),
    ("Assistant", false),
];
const INTERESTS: &[&str] = &[
    "cycling",
    "jazz",
    "gardening",
    "football",
    "sourdough baking",
    "sailing",
    "chess",
    "hiking",
    "vintage cars",
    "birdwatching",
    "pottery",
    "running marathons",
];
const FAMILY_NOTES: &[&str] = &[
    "Married to Sam; two kids (Ella 9, Max 6)",
    "Daughter just started university",
    "Lives with partner Alex; new baby in the spring",
    "Looks after elderly father",
    "Twin boys who play hockey",
    "",
];
const HOW_WE_MET: &[&str] = &[
    "Trade fair in Lyon",
    "Referred by a customer",
    "Walked into the shop",
    "Chamber of commerce breakfast",
    "Cold call that went well",
    "Met at a friend's wedding",
];
const SUMMARIES: &[(Purpose, &str)] = &[
    (Purpose::Sales, "Quote for the spring order"),
    (Purpose::Sales, "Presented the new product line"),
    (Purpose::Sales, "Negotiated volume discount"),
    (
        Purpose::Service,
        "Delivery arrived damaged, arranged replacement",
    ),
    (Purpose::Service, "Invoice question sorted out"),
    (Purpose::Service, "Checked the installation works"),
    (Purpose::Relationship, "Coffee, talked about the family"),
    (
        Purpose::Relationship,
        "Congratulated on the shop's anniversary",
    ),
    (
        Purpose::Relationship,
        "Lunch, no business, just catching up",
    ),
];
const THEY_SAID: &[&str] = &[
    "Business is slow in January; cash is tight",
    "Their old supplier keeps missing deadlines",
    "Planning to open a second location next year",
    "Happy with the last delivery, staff liked it",
    "Worried about rising energy prices",
    "",
];
const THEY_NEED: &[&str] = &[
    "Faster delivery before holidays",
    "Payment terms of 60 days",
    "Someone to train the new staff",
    "Smaller packaging",
    "",
    "",
];
const PROMISED: &[&str] = &[
    "Call back Tuesday at 15:00 with prices",
    "Send the catalogue by Friday",
    "Ask the warehouse about stock",
    "",
    "",
    "",
];
const NEXT_STEP: &[&str] = &[
    "Visit the shop next month",
    "Send quote",
    "Invite to the tasting evening",
    "",
];
const TAGS: &[&str] = &[
    "wholesale",
    "local",
    "VIP",
    "referral",
    "restaurant",
    "retail",
];

/// Makes demo records from a seed; the same seed always makes the same data.
pub struct DemoGenerator {
    rng: fastrand::Rng,
    now: NaiveDateTime,
}

impl DemoGenerator {
    pub fn new(seed: u64, now: NaiveDateTime) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(seed),
            now,
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.usize(..items.len())]
    }

    /// The `index`-th demo contact.
    pub fn contact(&mut self, index: usize) -> ContactDraft {
        let given = *self.pick(GIVEN);
        let family = *self.pick(FAMILY);
        let organization = format!("{} {}", self.pick(BUSINESS_NAME), self.pick(BUSINESS_KIND));
        let (title, decides) = *self.pick(TITLES);
        let domain: String = organization
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let local: String = given
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let birthday = if self.rng.u8(..10) < 7 {
            let year = (self.rng.u8(..3) > 0).then(|| self.rng.i32(1950..2000));
            Birthday::new(year, self.rng.u32(1..=12), self.rng.u32(1..=28))
        } else {
            None
        };
        let stage = *self.pick(Stage::ALL);
        let tags = if self.rng.bool() {
            vec![(*self.pick(TAGS)).to_owned()]
        } else {
            Vec::new()
        };
        ContactDraft {
            given_name: given.to_owned(),
            family_name: family.to_owned(),
            display_name: format!("{given} {family}"),
            organization,
            title: title.to_owned(),
            is_decision_maker: decides,
            stage,
            birthday,
            family: (*self.pick(FAMILY_NOTES)).to_owned(),
            interests: {
                // Two draws as before (the rest of the demo stays the same), one interest when
                // both land on the same ("sailing, sailing" read like a typo).
                let (first, second) = (*self.pick(INTERESTS), *self.pick(INTERESTS));
                if first == second {
                    first.to_owned()
                } else {
                    format!("{first}, {second}")
                }
            },
            how_we_met: (*self.pick(HOW_WE_MET)).to_owned(),
            personal_notes: String::new(),
            cadence_days: [None, Some(14), Some(30), Some(90)][self.rng.usize(..4)],
            emails: vec![Email {
                label: "work".to_owned(),
                address: format!("{local}.{index}@{domain}.example"),
            }],
            phones: vec![Phone {
                label: "mobile".to_owned(),
                number: format!(
                    "+44 7{:03} {:06}",
                    self.rng.u32(100..1000),
                    self.rng.u32(..1_000_000)
                ),
            }],
            tags,
            ..ContactDraft::default()
        }
    }

    /// A conversation with `participants` some time in the last three years.
    pub fn interaction(&mut self, participants: Vec<ContactId>) -> InteractionDraft {
        let days_ago = self.rng.i64(0..3 * 365);
        let at = (self.now - Duration::days(days_ago)).date().and_time(
            NaiveTime::from_hms_opt(self.rng.u32(8..19), [0, 15, 30, 45][self.rng.usize(..4)], 0)
                .unwrap_or(NaiveTime::MIN),
        );
        let (purpose, summary) = *self.pick(SUMMARIES);
        let channel = *self.pick(Channel::ALL);
        let outcome = match self.rng.u8(..20) {
            0 => Outcome::NoShow,
            1 => Outcome::Rescheduled,
            2 => Outcome::TheyCancelled,
            3 if channel == Channel::Call => Outcome::NoAnswer,
            _ => Outcome::Held,
        };
        InteractionDraft {
            occurred_at: at,
            channel,
            initiated_by: if self.rng.bool() {
                Initiator::Me
            } else {
                Initiator::Them
            },
            purpose,
            outcome,
            duration_minutes: channel
                .is_personal()
                .then(|| [15, 30, 45, 60, 90][self.rng.usize(..5)]),
            participants,
            summary: summary.to_owned(),
            they_said: (*self.pick(THEY_SAID)).to_owned(),
            they_need: (*self.pick(THEY_NEED)).to_owned(),
            i_promised: (*self.pick(PROMISED)).to_owned(),
            next_step: (*self.pick(NEXT_STEP)).to_owned(),
            private: false,
        }
    }

    /// A random number below `bound`.
    pub fn below(&mut self, bound: usize) -> usize {
        self.rng.usize(..bound.max(1))
    }
}

/// What `fill` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub contacts: usize,
    pub interactions: usize,
    pub follow_ups: usize,
    pub relationships: usize,
}

/// Writes `contacts` demo contacts and `interactions` conversations in one transaction.
/// `progress(done, total)` is called now and then so a caller can show a bar.
pub fn fill(
    store: &mut Store,
    contacts: usize,
    interactions: usize,
    now: NaiveDateTime,
    mut progress: impl FnMut(usize, usize),
) -> Result<DemoSummary> {
    let seed = 0x5EED_0000 + contacts as u64;
    let mut generator = DemoGenerator::new(seed, now);
    let mut connections = connections::Connections::new(seed, now);
    let total = contacts + interactions;
    let mut writer = store.bulk()?;
    if contacts > 0 {
        connections.define_fields(&mut writer)?;
    }
    let mut ids = Vec::with_capacity(contacts);
    for index in 0..contacts {
        let mut draft = generator.contact(index);
        connections.fill_fields(&mut draft, index);
        let id = writer.add_contact(&draft, "demo")?;
        connections.add(id, &draft);
        ids.push(id);
        if index % 1000 == 0 {
            progress(index, total);
        }
    }
    let relationships = connections.write_relationships(&mut writer)?;
    let mut follow_ups = 0;
    if !ids.is_empty() {
        for index in 0..interactions {
            let first = ids[generator.below(ids.len())];
            let mut participants = vec![first];
            // Now and then the owner and the buyer sit at the same table.
            if generator.below(8) == 0 {
                let second = ids[generator.below(ids.len())];
                if second != first {
                    participants.push(second);
                }
            }
            let draft = generator.interaction(participants);
            let promised = draft.i_promised.clone();
            let occurred_at = draft.occurred_at;
            let interaction_id = writer.add_interaction(&draft)?;
            if !promised.is_empty() && generator.below(4) == 0 {
                let due = occurred_at + Duration::days(generator.below(10) as i64 + 1);
                let status = if due > now {
                    FollowUpStatus::Open
                } else {
                    match generator.below(8) {
                        0..=3 => FollowUpStatus::Done,
                        4 | 5 => FollowUpStatus::DoneLate,
                        // A few recent promises are still waiting: overdue on the Today view.
                        7 if now - due < Duration::days(14) => FollowUpStatus::Open,
                        _ => FollowUpStatus::Missed,
                    }
                };
                writer.add_follow_up(
                    &FollowUpDraft {
                        contact_id: first,
                        organization_id: None,
                        interaction_id: Some(interaction_id),
                        text: promised,
                        notes: String::new(),
                        due_date: due.date(),
                        due_time: Some(due.time()),
                        promised_by: Initiator::Me,
                        repeat: None,
                    },
                    status,
                    occurred_at.and_utc(),
                )?;
                follow_ups += 1;
            }
            if index % 5000 == 0 {
                progress(contacts + index, total);
            }
        }
    }
    writer.commit()?;
    progress(total, total);
    Ok(DemoSummary {
        contacts,
        interactions: if ids.is_empty() { 0 } else { interactions },
        follow_ups,
        relationships,
    })
}
