//! Which form fields ask a visitor for health information (issue 13).
//!
//! HHS OCR ties the worst disclosures to pages where visitors enter health
//! information: booking, registration, symptom checkers, intake and
//! bill-pay forms. [`super::html`] hands each field's words here (its
//! `name`, `id`, `autocomplete`, `placeholder` and `aria-label` values, and
//! the text of each `<label>`); [`classify`] says which [`Category`] of
//! health information they ask for, and [`reason`] words why a page is
//! sensitive.
//!
//! Words are tokens: identifiers are split at case changes, digits and
//! punctuation (`insuranceMemberId` is `insurance member id`, `date_of_birth`
//! is `date of birth`), lowercased and stripped of accents (`médicaments`
//! is `medicaments`). A category matches a whole phrase of tokens, never a
//! substring, so `email`, `q`, `newsletter`, `message`, `subject` or
//! `phone` never trip it, and `terms and conditions` is not a health
//! condition. The longest phrase wins where phrases overlap
//! (`insurance provider` is insurance, not a provider choice).
//!
//! The vocabulary is data: [`VOCABULARY`], one row per category, in
//! English and the other languages healthcare sites commonly serve
//! (Spanish, German, French, Italian, Portuguese, Dutch).

use std::collections::HashMap;
use std::sync::LazyLock;

/// A kind of health information a form field asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Date of birth.
    DateOfBirth,
    /// Insurance or member id.
    Insurance,
    /// A diagnosis.
    Diagnosis,
    /// Symptoms.
    Symptoms,
    /// Medications.
    Medications,
    /// A health condition, medical history or allergies.
    Condition,
    /// The reason for a visit.
    ReasonForVisit,
    /// A provider or appointment choice.
    Appointment,
    /// A patient identifier (medical record number, patient id, SSN).
    PatientId,
}

impl Category {
    /// How a reason names it: "form asks for {name}".
    pub fn name(self) -> &'static str {
        match self {
            Category::DateOfBirth => "date of birth",
            Category::Insurance => "insurance member id",
            Category::Diagnosis => "diagnosis",
            Category::Symptoms => "symptoms",
            Category::Medications => "medications",
            Category::Condition => "health condition",
            Category::ReasonForVisit => "reason for visit",
            Category::Appointment => "provider or appointment choice",
            Category::PatientId => "patient identifier",
        }
    }
}

/// Phrases, one row per category: tokens separated by spaces, lowercase,
/// without accents (as [`tokens`] makes them). A row's phrases may be in
/// any language; a longer phrase wins over a shorter one that starts at
/// the same token.
pub const VOCABULARY: &[(Category, &[&str])] = &[
    (
        Category::DateOfBirth,
        &[
            "dob",
            "d o b",
            "date of birth",
            "dateofbirth",
            "birth date",
            "birthdate",
            "birthday",
            "bday", // autocomplete="bday", "bday-day", …
            "fecha de nacimiento",
            "fecha nacimiento",
            "fechanacimiento",
            "geburtsdatum",
            "geburtstag",
            "date de naissance",
            "datenaissance",
            "data di nascita",
            "data de nascimento",
            "geboortedatum",
        ],
    ),
    (
        Category::Insurance,
        &[
            "insurance",
            "insurer",
            "insured",
            "insurance provider",
            "insurance company",
            "insurance carrier",
            "member id",
            "memberid",
            "member number",
            "member no",
            "policy number",
            "policy no",
            "policy id",
            "group number",
            "subscriber id",
            "subscriber number",
            "health plan",
            "medicaid",
            "medicare",
            "payer",
            "seguro",
            "seguro medico",
            "aseguradora",
            "poliza",
            "numero de afiliado",
            "afiliado",
            "versicherung",
            "krankenversicherung",
            "krankenkasse",
            "versicherungsnummer",
            "versichertennummer",
            "assurance",
            "assurance maladie",
            "mutuelle",
            "assicurazione",
            "tessera sanitaria",
            "plano de saude",
            "convenio",
            "verzekering",
            "zorgverzekeraar",
            "zorgverzekering",
            "polisnummer",
        ],
    ),
    (
        Category::Diagnosis,
        &[
            "diagnosis",
            "diagnoses",
            "diagnosed",
            "icd",
            "diagnostico",
            "diagnose",
            "diagnostic",
            "diagnosi",
        ],
    ),
    (
        Category::Symptoms,
        &[
            "symptom",
            "symptoms",
            "pain",
            "sintoma",
            "sintomas",
            "symptome",
            "beschwerden",
            "symptomes",
            "sintomi",
            "symptomen",
            "klachten",
        ],
    ),
    (
        Category::Medications,
        &[
            "medication",
            "medications",
            "medicine",
            "medicines",
            "meds",
            "prescription",
            "prescriptions",
            "current medications",
            "medicamento",
            "medicamentos",
            "medicacion",
            "medikament",
            "medikamente",
            "medikation",
            "medicament",
            "medicaments",
            "ordonnance",
            "farmaci",
            "medicinali",
            "medicijnen",
            "medicatie",
        ],
    ),
    (
        Category::Condition,
        &[
            "condition",
            "medical condition",
            "medical conditions",
            "health condition",
            "health conditions",
            "existing condition",
            "existing conditions",
            "chronic condition",
            "chronic conditions",
            "medical history",
            "health history",
            "allergy",
            "allergies",
            "pregnant",
            "pregnancy",
            "condicion medica",
            "enfermedad",
            "enfermedades",
            "historial medico",
            "alergias",
            "vorerkrankung",
            "vorerkrankungen",
            "erkrankung",
            "erkrankungen",
            "allergien",
            "antecedents medicaux",
            "maladie",
            "patologia",
            "malattia",
            "doenca",
            "aandoening",
        ],
    ),
    (
        Category::ReasonForVisit,
        &[
            "reason for visit",
            "reason for your visit",
            "reason for the visit",
            "reason for appointment",
            "reason for your appointment",
            "reason for the appointment",
            "visit reason",
            "visitreason",
            "appointment reason",
            "chief complaint",
            "what brings you in",
            "motivo de consulta",
            "motivo de la consulta",
            "motivo de la cita",
            "motivo de la visita",
            "motivo della visita",
            "motivo da consulta",
            "grund des besuchs",
            "grund ihres besuchs",
            "besuchsgrund",
            "motif de consultation",
            "motif de la consultation",
            "motif du rendez vous",
            "reden van bezoek",
        ],
    ),
    (
        Category::Appointment,
        &[
            "appointment",
            "appointments",
            "appt",
            "provider",
            "preferred provider",
            "physician",
            "doctor",
            "clinician",
            "practitioner",
            "specialist",
            "termin",
            "wunschtermin",
            "terminwunsch",
            "arzt",
            "arztin",
            "cita",
            "medico",
            "consulta",
            "rendez vous",
            "rdv",
            "medecin",
            "praticien",
            "appuntamento",
            "agendamento",
            "afspraak",
            "huisarts",
        ],
    ),
    (
        Category::PatientId,
        &[
            "mrn",
            "medical record",
            "medical record number",
            "patient id",
            "patientid",
            "patient number",
            "patient account",
            "patient account number",
            "chart number",
            "health card number",
            "nhs number",
            "guarantor",
            "ssn",
            "social security",
            "social security number",
            "numero de seguro social",
            "sozialversicherungsnummer",
            "patientennummer",
            "numero de securite sociale",
            "codice fiscale",
            "numero de paciente",
            "patientnummer",
        ],
    ),
];

/// Field names that make a field a search box: a search box is how a
/// visitor browses, and a site-wide header search ("Search doctors,
/// services…") would otherwise make every page sensitive.
const SEARCH_WORDS: &[&str] = &["search", "query", "keyword", "keywords", "suche", "buscar"];

/// A phrase's tokens and its category.
type Phrase = (Vec<&'static str>, Category);

/// The vocabulary by first token: each phrase starting with it, longest
/// first.
static INDEX: LazyLock<HashMap<&'static str, Vec<Phrase>>> = LazyLock::new(|| {
    let mut index: HashMap<&str, Vec<Phrase>> = HashMap::new();
    for &(category, phrases) in VOCABULARY {
        for phrase in phrases {
            let words: Vec<&str> = phrase.split(' ').collect();
            index.entry(words[0]).or_default().push((words, category));
        }
    }
    for v in index.values_mut() {
        v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }
    index
});

/// The categories `text` (an attribute value or a label's text) asks for,
/// added to `out` in the order they appear, each once.
pub fn classify(text: &str, out: &mut Vec<Category>) {
    let toks = tokens(text);
    let mut i = 0;
    while i < toks.len() {
        let hit = INDEX.get(toks[i].as_str()).and_then(|phrases| {
            phrases.iter().find(|(words, _)| {
                toks.len() - i >= words.len()
                    && words.iter().zip(&toks[i..]).all(|(w, t)| *w == t.as_str())
            })
        });
        match hit {
            Some((words, category)) => {
                if !out.contains(category) {
                    out.push(*category);
                }
                i += words.len();
            }
            None => i += 1,
        }
    }
}

/// Whether a field named `name` (its `name` or `id`) is a search box:
/// `q`, `s`, `search`, `searchTerm`, `doctor-search`, `query`, …
pub fn is_search_name(name: &str) -> bool {
    let toks = tokens(name);
    matches!(toks.as_slice(), [t] if t == "q" || t == "s" || t == "term")
        || toks.iter().any(|t| SEARCH_WORDS.contains(&t.as_str()))
}

/// The reason a page is sensitive, without its line: "form asks for date
/// of birth and insurance member id".
pub fn reason(categories: &[Category]) -> String {
    let names: Vec<&str> = categories.iter().map(|c| c.name()).collect();
    let list = match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    format!("form asks for {list}")
}

/// The tokens of `text`: runs of letters, split where lowercase turns to
/// uppercase (`memberId`), lowercased, accents removed; digits and
/// everything else separate tokens.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in text.chars() {
        if c.is_alphabetic() {
            if c.is_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_lowercase();
            for l in c.to_lowercase() {
                cur.push(fold(l));
            }
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A lowercase Latin letter without its accent (`é` is `e`, `ß` stays).
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asks(text: &str) -> Vec<&'static str> {
        let mut out = Vec::new();
        classify(text, &mut out);
        out.into_iter().map(Category::name).collect()
    }

    #[test]
    fn identifiers_split_into_tokens() {
        assert_eq!(tokens("insuranceMemberId"), ["insurance", "member", "id"]);
        assert_eq!(tokens("date_of-birth"), ["date", "of", "birth"]);
        assert_eq!(tokens("patient[DOB]"), ["patient", "dob"]);
        assert_eq!(tokens("Médicaments actuels"), ["medicaments", "actuels"]);
        assert_eq!(tokens("bday-year"), ["bday", "year"]);
        assert_eq!(tokens("field2name"), ["field", "name"]);
    }

    #[test]
    fn health_fields_in_several_languages() {
        assert_eq!(asks("dob"), ["date of birth"]);
        assert_eq!(asks("bday"), ["date of birth"]);
        assert_eq!(asks("Date of birth *"), ["date of birth"]);
        assert_eq!(asks("insuranceMemberId"), ["insurance member id"]);
        assert_eq!(asks("member-id"), ["insurance member id"]);
        assert_eq!(asks("Insurance provider"), ["insurance member id"]);
        assert_eq!(asks("Fecha de nacimiento"), ["date of birth"]);
        assert_eq!(asks("Geburtsdatum"), ["date of birth"]);
        assert_eq!(asks("Versichertennummer"), ["insurance member id"]);
        assert_eq!(asks("date de naissance"), ["date of birth"]);
        assert_eq!(asks("Motivo de la consulta"), ["reason for visit"]);
        assert_eq!(asks("Reason for visit"), ["reason for visit"]);
        assert_eq!(asks("preferred_doctor"), ["provider or appointment choice"]);
        assert_eq!(asks("Wunschtermin"), ["provider or appointment choice"]);
        assert_eq!(asks("MRN"), ["patient identifier"]);
        assert_eq!(asks("current-medications"), ["medications"]);
        assert_eq!(
            asks("Symptoms and current medications"),
            ["symptoms", "medications"]
        );
        assert_eq!(
            asks("Pre-existing medical conditions"),
            ["health condition"]
        );
    }

    #[test]
    fn near_misses_ask_for_nothing() {
        for text in [
            "email",
            "q",
            "search",
            "newsletter",
            "message",
            "subject",
            "phone",
            "name",
            "first_name",
            "I agree to the terms and conditions",
            "accept_conditions",
            "Reason for contacting us",
            "Privacy policy",
            "zip",
            "Your message",
            "company",
            "membership",
            "birthplace",
        ] {
            assert_eq!(asks(text), Vec::<&str>::new(), "{text}");
        }
    }

    #[test]
    fn search_boxes_by_name() {
        for name in ["q", "s", "search", "searchTerm", "doctor-search", "query"] {
            assert!(is_search_name(name), "{name}");
        }
        for name in ["insurance", "dob", "subject", "session"] {
            assert!(!is_search_name(name), "{name}");
        }
    }

    #[test]
    fn reasons_list_categories() {
        use Category::*;
        assert_eq!(reason(&[DateOfBirth]), "form asks for date of birth");
        assert_eq!(
            reason(&[DateOfBirth, Insurance]),
            "form asks for date of birth and insurance member id"
        );
        assert_eq!(
            reason(&[Symptoms, Medications, Condition]),
            "form asks for symptoms, medications and health condition"
        );
    }
}
