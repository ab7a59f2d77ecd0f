//! The column names Outlook writes when it runs in another language. Outlook translates every
//! header of its CSV export (and Outlook.com does the same), so a German user's file says
//! "Vorname" and "Fax geschäftlich", a Japanese user's "姓" and "電子メール アドレス". The names
//! are Outlook's own, as its exports and the import maps of other programs (Roundcube's
//! csv2vcard, Open-Xchange) list them; several spellings of one field are all listed because
//! Outlook versions and Outlook.com differ.

use super::mapping::{Column, Field};
use std::collections::HashMap;
use std::sync::LazyLock;

/// One translated header: the field, its slot (the same slots as the English names, so a
/// localized file pairs its columns the same way) and the label the header implies.
type Target = (Field, u16, &'static str);

const GIVEN: Target = (Field::GivenName, 0, "");
const FAMILY: Target = (Field::FamilyName, 0, "");
const MIDDLE: Target = (Field::MiddleName, 0, "");
const PREFIX: Target = (Field::Prefix, 0, "");
const SUFFIX: Target = (Field::Suffix, 0, "");
const NICKNAME: Target = (Field::Nickname, 0, "");
const FULL_NAME: Target = (Field::FullName, 0, "");
const COMPANY: Target = (Field::Organization, 0, "");
const JOB_TITLE: Target = (Field::Title, 0, "");
const EMAIL_1: Target = (Field::Email, 1, "");
const EMAIL_2: Target = (Field::Email, 2, "");
const EMAIL_3: Target = (Field::Email, 3, "");
const MOBILE: Target = (Field::Phone, 1, "mobile");
const WORK_PHONE: Target = (Field::Phone, 2, "work");
const WORK_PHONE_2: Target = (Field::Phone, 3, "work");
const HOME_PHONE: Target = (Field::Phone, 4, "home");
const HOME_PHONE_2: Target = (Field::Phone, 5, "home");
const PRIMARY_PHONE: Target = (Field::Phone, 6, "");
const OTHER_PHONE: Target = (Field::Phone, 7, "other");
const MAIN_PHONE: Target = (Field::Phone, 8, "work");
const WORK_FAX: Target = (Field::Phone, 9, "work fax");
const HOME_FAX: Target = (Field::Phone, 10, "home fax");
const OTHER_FAX: Target = (Field::Phone, 11, "other fax");
const PAGER: Target = (Field::Phone, 12, "pager");
const CAR: Target = (Field::Phone, 13, "car");
const ASSISTANT: Target = (Field::Phone, 14, "assistant");
const NOTES: Target = (Field::Notes, 0, "");
const BIRTHDAY: Target = (Field::Birthday, 0, "");
const CATEGORIES: Target = (Field::Tags, 0, "");

/// Outlook's headers by language, as Outlook spells them.
const NAMES: &[(&str, Target)] = &[
    // German
    ("Anrede", PREFIX),
    ("Weitere Vornamen", MIDDLE),
    ("Firma", COMPANY),
    ("Position", JOB_TITLE),
    ("E-Mail-Adresse", EMAIL_1),
    ("E-Mail 2: Adresse", EMAIL_2),
    ("E-Mail 3: Adresse", EMAIL_3),
    ("Mobiltelefon", MOBILE),
    ("Telefon geschäftlich", WORK_PHONE),
    ("Telefon geschäftlich 2", WORK_PHONE_2),
    ("Telefon privat", HOME_PHONE),
    ("Telefon privat 2", HOME_PHONE_2),
    ("Haupttelefon", PRIMARY_PHONE),
    ("Weiteres Telefon", OTHER_PHONE),
    ("Telefon Firma", MAIN_PHONE),
    ("Fax geschäftlich", WORK_FAX),
    ("Fax privat", HOME_FAX),
    ("Weiteres Fax", OTHER_FAX),
    ("Pager", PAGER),
    ("Autotelefon", CAR),
    ("Telefon Assistent", ASSISTANT),
    // French
    ("Titre", PREFIX),
    ("Prénom", GIVEN),
    ("Deuxième prénom", MIDDLE),
    ("Nom", FAMILY),
    ("Suffixe", SUFFIX),
    ("Surnom", NICKNAME),
    ("Nom à afficher", FULL_NAME),
    ("Société", COMPANY),
    ("Profession", JOB_TITLE),
    ("Fonction", JOB_TITLE),
    ("Adresse de messagerie", EMAIL_1),
    ("Adresse de messagerie 2", EMAIL_2),
    ("Adresse de messagerie 3", EMAIL_3),
    ("Tél. mobile", MOBILE),
    ("Téléphone mobile", MOBILE),
    ("Téléphone (bureau)", WORK_PHONE),
    ("Téléphone 2 (bureau)", WORK_PHONE_2),
    ("Téléphone (domicile)", HOME_PHONE),
    ("Téléphone 2 (domicile)", HOME_PHONE_2),
    ("Téléphone principal", PRIMARY_PHONE),
    ("Téléphone (autre)", OTHER_PHONE),
    ("Télécopie (bureau)", WORK_FAX),
    ("Télécopie (domicile)", HOME_FAX),
    ("Télécopie (autre)", OTHER_FAX),
    ("Récepteur de radiomessagerie", PAGER),
    ("Téléphone (voiture)", CAR),
    ("Téléphone de l'assistant(e)", ASSISTANT),
    ("Anniversaire", BIRTHDAY),
    ("Catégories", CATEGORIES),
    // Spanish
    ("Tratamiento", PREFIX),
    ("Nombre", GIVEN),
    ("Segundo nombre", MIDDLE),
    ("Apellidos", FAMILY),
    ("Sufijo", SUFFIX),
    ("Organización", COMPANY),
    ("Compañía", COMPANY),
    ("Puesto", JOB_TITLE),
    ("Dirección de correo electrónico", EMAIL_1),
    ("Dirección de correo electrónico 2", EMAIL_2),
    ("Dirección del correo electrónico 3", EMAIL_3),
    ("Dirección de correo electrónico 3", EMAIL_3),
    ("Teléfono móvil", MOBILE),
    ("Móvil", MOBILE),
    ("Teléfono del trabajo", WORK_PHONE),
    ("Teléfono del trabajo 2", WORK_PHONE_2),
    ("Particular", HOME_PHONE),
    ("Teléfono particular", HOME_PHONE),
    ("Teléfono principal", PRIMARY_PHONE),
    ("Otro teléfono", OTHER_PHONE),
    ("Fax del trabajo", WORK_FAX),
    ("Fax particular", HOME_FAX),
    ("Otro fax", OTHER_FAX),
    ("Buscapersonas", PAGER),
    ("Teléfono del automóvil", CAR),
    ("Teléfono del asistente", ASSISTANT),
    ("Cumpleaños", BIRTHDAY),
    ("Categorías", CATEGORIES),
    ("Notas", NOTES),
    // Italian
    ("Titolo", PREFIX),
    ("Nome", GIVEN),
    ("Secondo nome", MIDDLE),
    ("Cognome", FAMILY),
    ("Suffisso", SUFFIX),
    ("Società", COMPANY),
    ("Qualifica", JOB_TITLE),
    ("Posizione", JOB_TITLE),
    ("Indirizzo posta elettronica", EMAIL_1),
    ("Indirizzo posta elettronica 2", EMAIL_2),
    ("Indirizzo posta elettronica 3", EMAIL_3),
    ("Indirizzo E-mail", EMAIL_1),
    ("Indirizzo E-mail 2", EMAIL_2),
    ("Indirizzo E-mail 3", EMAIL_3),
    ("Cellulare", MOBILE),
    ("Telefono cellulare", MOBILE),
    ("Telefono ufficio", WORK_PHONE),
    ("Telefono ufficio 2", WORK_PHONE_2),
    ("Telefono di Lavoro", WORK_PHONE),
    ("Telefono abitazione", HOME_PHONE),
    ("Telefono abitazione 2", HOME_PHONE_2),
    ("Telefono di casa", HOME_PHONE),
    ("Telefono principale", PRIMARY_PHONE),
    ("Altro telefono", OTHER_PHONE),
    ("Fax ufficio", WORK_FAX),
    ("Fax di Lavoro", WORK_FAX),
    ("Fax abitazione", HOME_FAX),
    ("Fax di casa", HOME_FAX),
    ("Altro fax", OTHER_FAX),
    ("Cercapersone", PAGER),
    ("Telefono auto", CAR),
    ("Telefono assistente", ASSISTANT),
    ("Compleanno", BIRTHDAY),
    ("Categorie", CATEGORIES),
    ("Note", NOTES),
    // Dutch
    ("Titel", PREFIX),
    ("Voornaam", GIVEN),
    ("Middelste naam", MIDDLE),
    ("Tweede voornaam", MIDDLE),
    ("Achternaam", FAMILY),
    ("Achtervoegsel", SUFFIX),
    ("Bijnaam", NICKNAME),
    ("Bedrijf", COMPANY),
    ("Functie", JOB_TITLE),
    ("E-mailadres", EMAIL_1),
    ("E-mailadres 2", EMAIL_2),
    ("E-mailadres 3", EMAIL_3),
    ("Mobiele telefoon", MOBILE),
    ("Telefoon op werk", WORK_PHONE),
    ("Telefoon op werk 2", WORK_PHONE_2),
    ("Telefoon thuis", HOME_PHONE),
    ("Telefoon thuis 2", HOME_PHONE_2),
    ("Hoofdtelefoon", PRIMARY_PHONE),
    ("Andere telefoon", OTHER_PHONE),
    ("Fax op werk", WORK_FAX),
    ("Fax thuis", HOME_FAX),
    ("Andere fax", OTHER_FAX),
    ("Pieper", PAGER),
    ("Semafoon", PAGER),
    ("Autotelefoon", CAR),
    ("Telefoon assistent", ASSISTANT),
    ("Verjaardag", BIRTHDAY),
    ("Categorieën", CATEGORIES),
    ("Notities", NOTES),
    // Portuguese (Brazil and Portugal)
    ("Tratamento", PREFIX),
    ("Segundo nome", MIDDLE),
    ("Sobrenome", FAMILY),
    ("Apelido", FAMILY),
    ("Sufixo", SUFFIX),
    ("Empresa", COMPANY),
    ("Cargo", JOB_TITLE),
    ("Endereço de email", EMAIL_1),
    ("Endereço de email 2", EMAIL_2),
    ("Endereço de email 3", EMAIL_3),
    ("Endereço de e-mail", EMAIL_1),
    ("Endereço de e-mail 2", EMAIL_2),
    ("Endereço de e-mail 3", EMAIL_3),
    ("Endereço de correio eletrónico", EMAIL_1),
    ("Endereço de correio electrónico", EMAIL_1),
    ("Celular", MOBILE),
    ("Telemóvel", MOBILE),
    ("Telefone comercial", WORK_PHONE),
    ("Telefone comercial 2", WORK_PHONE_2),
    ("Telefone da empresa", WORK_PHONE),
    ("Telefone residencial", HOME_PHONE),
    ("Telefone residencial 2", HOME_PHONE_2),
    ("Telefone principal", PRIMARY_PHONE),
    ("Outro telefone", OTHER_PHONE),
    ("Fax comercial", WORK_FAX),
    ("Fax residencial", HOME_FAX),
    ("Outro fax", OTHER_FAX),
    ("Telefone do carro", CAR),
    ("Telefone do assistente", ASSISTANT),
    ("Aniversário", BIRTHDAY),
    ("Categorias", CATEGORIES),
    ("Anotações", NOTES),
    // Polish
    ("Tytuł", PREFIX),
    ("Imię", GIVEN),
    ("Drugie imię", MIDDLE),
    ("Nazwisko", FAMILY),
    ("Przyrostek", SUFFIX),
    ("Przydomek", NICKNAME),
    ("Stanowisko", JOB_TITLE),
    ("Adres e-mail", EMAIL_1),
    ("Adres e-mail 2", EMAIL_2),
    ("Adres e-mail 3", EMAIL_3),
    ("Telefon komórkowy", MOBILE),
    ("Telefon służbowy", WORK_PHONE),
    ("Telefon służbowy 2", WORK_PHONE_2),
    ("Telefon domowy", HOME_PHONE),
    ("Telefon domowy 2", HOME_PHONE_2),
    ("Telefon główny", PRIMARY_PHONE),
    ("Inny telefon", OTHER_PHONE),
    ("Faks służbowy", WORK_FAX),
    ("Faks domowy", HOME_FAX),
    ("Inny faks", OTHER_FAX),
    ("Telefon w samochodzie", CAR),
    ("Telefon asystenta", ASSISTANT),
    ("Urodziny", BIRTHDAY),
    ("Kategorie", CATEGORIES),
    ("Notatki", NOTES),
    // Japanese
    ("姓", FAMILY),
    ("名", GIVEN),
    ("ミドル ネーム", MIDDLE),
    ("敬称", PREFIX),
    ("サフィックス", SUFFIX),
    ("ニックネーム", NICKNAME),
    ("会社", COMPANY),
    ("会社名", COMPANY),
    ("役職", JOB_TITLE),
    ("電子メール アドレス", EMAIL_1),
    ("電子メール 2 アドレス", EMAIL_2),
    ("電子メール 3 アドレス", EMAIL_3),
    ("携帯電話", MOBILE),
    ("会社電話", WORK_PHONE),
    ("会社電話 2", WORK_PHONE_2),
    ("自宅電話", HOME_PHONE),
    ("自宅電話 2", HOME_PHONE_2),
    ("電話 (優先)", PRIMARY_PHONE),
    ("その他の電話", OTHER_PHONE),
    ("会社代表電話", MAIN_PHONE),
    ("会社 FAX", WORK_FAX),
    ("自宅 FAX", HOME_FAX),
    ("その他の FAX", OTHER_FAX),
    ("ポケットベル", PAGER),
    ("自動車電話", CAR),
    ("アシスタントの電話", ASSISTANT),
    ("誕生日", BIRTHDAY),
    ("分類", CATEGORIES),
    ("メモ", NOTES),
    // Chinese (simplified, then traditional)
    ("中间名", MIDDLE),
    ("称谓", PREFIX),
    ("单位", COMPANY),
    ("公司", COMPANY),
    ("职务", JOB_TITLE),
    ("電子郵件地址", EMAIL_1),
    ("电子邮件地址", EMAIL_1),
    ("电子邮件 2 地址", EMAIL_2),
    ("电子邮件 3 地址", EMAIL_3),
    ("移动电话", MOBILE),
    ("商务电话", WORK_PHONE),
    ("商务电话 2", WORK_PHONE_2),
    ("住宅电话", HOME_PHONE),
    ("住宅电话 2", HOME_PHONE_2),
    ("主要电话", PRIMARY_PHONE),
    ("其他电话", OTHER_PHONE),
    ("商务传真", WORK_FAX),
    ("住宅传真", HOME_FAX),
    ("其他传真", OTHER_FAX),
    ("寻呼机", PAGER),
    ("车载电话", CAR),
    ("助理的电话", ASSISTANT),
    ("生日", BIRTHDAY),
    ("类别", CATEGORIES),
    ("备注", NOTES),
    ("職稱", JOB_TITLE),
    ("行動電話", MOBILE),
    ("公司電話", WORK_PHONE),
    ("住家電話", HOME_PHONE),
    ("公司傳真", WORK_FAX),
    ("呼叫器", PAGER),
    ("類別", CATEGORIES),
    ("備註", NOTES),
];

/// The table keyed by the normalized header (`mapping::normalize`), built once.
static BY_NAME: LazyLock<HashMap<String, Target>> = LazyLock::new(|| {
    NAMES
        .iter()
        .map(|(name, target)| (super::mapping::normalize(name), *target))
        .collect()
});

/// The column a translated Outlook header maps to; `name` is already normalized.
pub fn classify(name: &str) -> Option<Column> {
    BY_NAME
        .get(name)
        .map(|(field, slot, label)| Column::new(*field, *slot, label))
}

/// Whether a normalized header is one of Outlook's translated e-mail columns, which only an
/// Outlook export writes.
pub fn is_outlook_email(name: &str) -> bool {
    BY_NAME
        .get(name)
        .is_some_and(|(field, _, _)| *field == Field::Email)
}
