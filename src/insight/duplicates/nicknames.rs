//! First names that name the same person: a formal name and the short forms people go by
//! (Robert, Bob, Rob, Bobby), and the same name in the languages a small business meets
//! (Peter, Pierre, Pedro, Piotr). Written folded (lowercase, no accents), as `fold` gives them.
//! A name may sit in more than one group ("al": Albert and Alan; "chris": Christopher and
//! Christine); two names match when they share a group.

use std::collections::HashMap;
use std::sync::OnceLock;

const GROUPS: &[&str] = &[
    "robert bob bobby rob robbie bert roberto robin",
    "william will bill billy liam willy wilhelm guillaume guillermo",
    "james jim jimmy jamie jaime",
    "john jack johnny jon juan johann johannes giovanni",
    "jonathan jon jonny jonty",
    "richard rick ricky dick rich richie ricardo riccardo",
    "michael mike mikey mick mickey michel miguel michele mikhail misha michal",
    "thomas tom tommy tomasz tomas tomek thom tomaso",
    "christopher chris kit christoph cristobal kris",
    "christine christina chris chrissy tina kristina kristin christa",
    "charles charlie chuck chas carlos carl karl carlo",
    "edward ed eddie ted teddy ned eduardo edouard",
    "elizabeth elisabeth liz lizzie beth betty eliza lisa libby elsa isabel",
    "catherine katherine kathryn kate katie kathy cathy kat katya ekaterina katarina katharina",
    "margaret maggie meg peggy marge greta margarita margot",
    "alexander alex sandy sasha alejandro alessandro alexandre aleksandr aleksander xander",
    "alexandra alex sandra sasha lexi alessandra alejandra",
    "anthony tony antonio anton antoine antoni",
    "daniel dan danny dani",
    "david dave davey davide",
    "joseph joe joey jose giuseppe josef pepe",
    "samuel sam sammy",
    "samantha sam sammy",
    "benjamin ben benny benji",
    "matthew matt mateo matteo mathieu matthias mattias mateusz",
    "andrew andy drew andreas andre andres andrea andrzej",
    "nicholas nick nicky nico nicolas niklas nikolai nicola",
    "patrick pat paddy patricio",
    "patricia pat patty trish tricia",
    "stephen steven steve stefan stephan esteban stefano etienne",
    "peter pete pedro pierre piotr pietro petr",
    "jennifer jen jenny",
    "jessica jess jessie",
    "susan sue suzy susie susanna susanne suzanne",
    "deborah deb debbie",
    "rebecca becky becca",
    "victoria vicky tori",
    "gabriel gabe gabi gabriele",
    "gabriela gabriella gabrielle gabi gaby",
    "isabel isabella isabelle bella izzy isa",
    "elena ellie lena helen helena",
    "eleanor ellie nora elle leonor",
    "oliver ollie olly olivier",
    "olivia liv livvy olive",
    "rafael rafa raphael raffaele",
    "frederick fred freddie fritz friedrich federico",
    "francis frank frankie francisco francesco francois franz paco franco",
    "frances fran francesca francoise francisca",
    "henry harry hank enrique henri heinrich enrico",
    "harold harry hal",
    "lawrence laurence larry lorenzo laurent",
    "leonard leo len lenny leonardo",
    "gregory greg gregor gregorio",
    "timothy tim timmy",
    "joshua josh",
    "zachary zach zack",
    "jacob jake jakob jakub jacques",
    "nathaniel nathan nate nat",
    "ronald ron ronnie",
    "donald don donnie",
    "kenneth ken kenny",
    "douglas doug",
    "raymond ray ramon",
    "walter walt",
    "albert al bert alberto",
    "alan allan allen al",
    "maria mary marie mariah maja marja mari",
    "anna ana ann anne annie anja anya",
    "sofia sophia sophie sofie zofia",
    "josephine jo josie josefina",
    "jacqueline jackie jacquie",
    "dorothy dot dottie dorothea",
    "barbara barb babs",
    "caroline carol carrie carolina karolina",
    "abigail abby abbie",
    "amanda mandy",
    "teresa theresa terry tess tessa tereza",
    "cynthia cindy",
    "pamela pam",
    "kimberly kim",
    "camila camilla cami",
    "valentina vale tina",
    "mohammed muhammad mohamed mohammad mo",
    "ahmed ahmad",
    "fatima fatma",
    "dmitri dmitry dima",
    "natalia natasha natalie nat",
    "yevgeny evgeny zhenya eugene gene",
    "lucas luke luca lukas luc lukasz",
    "hugh hugo hugues",
    "leila layla laila",
    "kenji ken",
];

/// Every folded name in the table, with the groups it belongs to.
fn table() -> &'static HashMap<&'static str, Vec<u16>> {
    static TABLE: OnceLock<HashMap<&'static str, Vec<u16>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<&'static str, Vec<u16>> = HashMap::new();
        for (group, names) in GROUPS.iter().enumerate() {
            for name in names.split(' ') {
                table.entry(name).or_default().push(group as u16);
            }
        }
        table
    })
}

/// The groups a folded first name belongs to (empty for a name the table does not know).
pub(super) fn groups_of(folded: &str) -> &'static [u16] {
    table().get(folded).map_or(&[], Vec::as_slice)
}

/// Whether two different folded first names are a formal name and a short form of it, or the
/// same name in two languages (the finder compares the groups it keeps per contact).
#[cfg(test)]
fn same_person(a: &str, b: &str) -> bool {
    let theirs = groups_of(b);
    groups_of(a).iter().any(|g| theirs.contains(g))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_and_translations_match_and_strangers_do_not() {
        assert!(same_person("bob", "robert"));
        assert!(same_person("robert", "rob"));
        assert!(same_person("pierre", "peter"));
        assert!(same_person("chris", "christine"));
        assert!(same_person("chris", "christopher"));
        assert!(!same_person("christine", "christopher"));
        assert!(!same_person("maria", "mario"));
        assert!(!same_person("zanele", "bob"));
    }

    #[test]
    fn the_table_is_written_folded() {
        for names in GROUPS {
            for name in names.split(' ') {
                assert_eq!(
                    super::super::fold(name),
                    *name,
                    "{name} is written as fold gives it"
                );
            }
        }
    }
}
