//! What connects the demo's people: three custom fields with values (Shop size, one per
//! organization; Customer since and Account number on customers), and relationships — the
//! people at one organization (an assistant to the boss, some who report to them, colleagues),
//! couples who are both contacts, and referrals: about a quarter of the customers referred by
//! another customer, a few of whom refer many. Drawn from a generator of its own (seeded from
//! the demo's seed), so the contacts and conversations stay what they were.

use crate::model::custom_field::{AppliesTo, CustomField, FieldDefinition, FieldKind};
use crate::model::relationship::RelationKind;
use crate::model::{ContactDraft, ContactId, Stage};
use crate::store::{BulkWriter, Result};
use chrono::{Duration, NaiveDateTime};
use std::collections::{BTreeMap, HashSet};

pub const SHOP_SIZE: &str = "Shop size";
pub const CUSTOMER_SINCE: &str = "Customer since";
pub const ACCOUNT_NUMBER: &str = "Account number";
const SIZES: [&str; 3] = ["Small", "Medium", "Large"];

/// One demo contact as the relationships need them.
struct Person {
    id: ContactId,
    organization: String,
    title: String,
    customer: bool,
    /// Their family notes name a spouse or partner who is not a contact.
    spoken_for: bool,
}

/// The fields, values and relationships of one demo fill.
pub struct Connections {
    rng: fastrand::Rng,
    now: NaiveDateTime,
    /// Which of the three fields the database can hold the demo's values in (one of the same
    /// name but another kind, defined by the owner, is left alone).
    fields: [bool; 3],
    sizes: BTreeMap<String, &'static str>,
    people: Vec<Person>,
}

impl Connections {
    pub fn new(seed: u64, now: NaiveDateTime) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(seed ^ 0x0C0A_EC7E_D000),
            now,
            fields: [false; 3],
            sizes: BTreeMap::new(),
            people: Vec::new(),
        }
    }

    /// Defines the three fields (those not there yet).
    pub fn define_fields(&mut self, writer: &mut BulkWriter<'_>) -> Result<()> {
        let wanted = [
            (SHOP_SIZE, FieldKind::Choice, &SIZES[..]),
            (CUSTOMER_SINCE, FieldKind::Date, &[][..]),
            (ACCOUNT_NUMBER, FieldKind::Text, &[][..]),
        ];
        for (slot, (name, kind, choices)) in wanted.into_iter().enumerate() {
            let field: CustomField = writer.custom_field(&FieldDefinition {
                applies_to: AppliesTo::Contact,
                name: name.to_owned(),
                kind: Some(kind),
                choices: choices.iter().map(|c| (*c).to_owned()).collect(),
                remind_days_before: None,
            })?;
            self.fields[slot] =
                field.kind == kind && choices.iter().all(|c| field.choices.iter().any(|f| f == c));
        }
        Ok(())
    }

    /// Gives the `index`-th contact its values: the size of their shop (the same for everyone
    /// there, nine in ten shops known), and for a customer when they became one and their
    /// account number.
    pub fn fill_fields(&mut self, draft: &mut ContactDraft, index: usize) {
        if self.fields[0] {
            let known = self.rng.u8(..10) > 0;
            let size = SIZES[self.rng.usize(..SIZES.len())];
            let size = *self
                .sizes
                .entry(draft.organization.clone())
                .or_insert(if known { size } else { "" });
            if !size.is_empty() {
                draft
                    .custom_fields
                    .insert(SHOP_SIZE.to_owned(), size.into());
            }
        }
        let days = self.rng.i64(120..8 * 365);
        if !is_customer(draft.stage) {
            return;
        }
        if self.fields[1] {
            let since = (self.now - Duration::days(days)).date();
            draft.custom_fields.insert(
                CUSTOMER_SINCE.to_owned(),
                since.format("%Y-%m-%d").to_string(),
            );
        }
        if self.fields[2] {
            draft
                .custom_fields
                .insert(ACCOUNT_NUMBER.to_owned(), format!("AC-{}", 10_001 + index));
        }
    }

    /// Remembers a contact as written.
    pub fn add(&mut self, id: ContactId, draft: &ContactDraft) {
        self.people.push(Person {
            id,
            organization: draft.organization.clone(),
            title: draft.title.clone(),
            customer: is_customer(draft.stage),
            spoken_for: ["Married", "partner"]
                .iter()
                .any(|w| draft.family.contains(w)),
        });
    }

    /// Writes the relationships among the people added; returns how many.
    pub fn write_relationships(mut self, writer: &mut BulkWriter<'_>) -> Result<usize> {
        let mut links: Vec<(usize, RelationKind, usize)> = Vec::new();
        self.at_work(&mut links);
        self.couples(&mut links);
        self.referrals(&mut links);
        for &(from, kind, to) in &links {
            writer.add_relationship(self.people[from].id, kind, self.people[to].id)?;
        }
        Ok(links.len())
    }

    /// At each organization with several people: the boss (the owner or director, else the
    /// first), their assistant, some who report to them, and colleagues side by side.
    fn at_work(&mut self, links: &mut Vec<(usize, RelationKind, usize)>) {
        let mut by_organization: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (at, person) in self.people.iter().enumerate() {
            by_organization
                .entry(person.organization.as_str())
                .or_default()
                .push(at);
        }
        for members in by_organization.values().filter(|m| m.len() > 1) {
            let boss = members
                .iter()
                .copied()
                .find(|&m| matches!(self.people[m].title.as_str(), "Owner" | "Managing Director"))
                .unwrap_or(members[0]);
            let mut previous: Option<usize> = None;
            for &member in members.iter().filter(|&&m| m != boss) {
                if self.people[member].title == "Assistant" {
                    links.push((member, RelationKind::Assistant, boss));
                } else if self.rng.u8(..4) == 0 {
                    links.push((member, RelationKind::ReportsTo, boss));
                } else if let Some(before) = previous.filter(|_| self.rng.u8(..4) == 0) {
                    links.push((before, RelationKind::Colleague, member));
                }
                previous = Some(member);
            }
        }
    }

    /// One in fifty married to another contact (at another organization), one in a hundred
    /// their partner; never someone whose family notes name another.
    fn couples(&mut self, links: &mut Vec<(usize, RelationKind, usize)>) {
        let count = self.people.len();
        if count < 2 {
            return;
        }
        let mut coupled: HashSet<usize> = HashSet::new();
        for one in 0..count {
            let kind = match self.rng.u8(..100) {
                0 | 1 => RelationKind::Spouse,
                2 => RelationKind::Partner,
                _ => continue,
            };
            let other = self.rng.usize(..count);
            let (me, them) = (&self.people[one], &self.people[other]);
            let apart = me.organization != them.organization;
            let free = !me.spoken_for && !them.spoken_for && !coupled.contains(&one);
            if other != one && apart && free && coupled.insert(other) {
                coupled.insert(one);
                links.push((one, kind, other));
            }
        }
    }

    /// About a quarter of the customers were referred by another customer; one customer in
    /// 120 (at least one) refers many: half of the referrals are theirs.
    fn referrals(&mut self, links: &mut Vec<(usize, RelationKind, usize)>) {
        let customers: Vec<usize> = (0..self.people.len())
            .filter(|&p| self.people[p].customer)
            .collect();
        if customers.len() < 2 {
            return;
        }
        let many: Vec<usize> = (0..(customers.len() / 120).max(1))
            .map(|_| customers[self.rng.usize(..customers.len())])
            .collect();
        let mut pairs: HashSet<(usize, usize)> = HashSet::new();
        for &customer in &customers {
            if self.rng.u8(..4) != 0 {
                continue;
            }
            let referrer = match self.rng.bool() {
                true => customers[self.rng.usize(..customers.len())],
                false => many[self.rng.usize(..many.len())],
            };
            let fresh =
                !pairs.contains(&(customer, referrer)) && pairs.insert((referrer, customer));
            if referrer != customer && fresh {
                links.push((referrer, RelationKind::Referred, customer));
            }
        }
    }
}

fn is_customer(stage: Stage) -> bool {
    matches!(stage, Stage::Customer | Stage::Loyal)
}
