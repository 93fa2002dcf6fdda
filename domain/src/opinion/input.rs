//! What a citizen submits, checked at the edge: bounded lengths, a real mobile number, and where the
//! opinion goes.

use super::kinds::{OpinionCategory, OpinionSource};
use crate::DomainError;
use crate::account::Phone;
use crate::geo::{Coordinates, DivisionCode};
use crate::privacy::PersonalDataKind;
use crate::text::{bounded, optional};
use uuid::Uuid;

/// The longest content, in characters.
pub const MAX_CONTENT: usize = 2000;
/// The longest location, in characters.
pub const MAX_LOCATION: usize = 200;
/// The longest contact name, in characters.
pub const MAX_CONTACT_NAME: usize = 50;

/// A contact phone number given with an opinion. Private: only the masked form is shown, and the number
/// itself only to the people who must call back.
pub type ContactPhone = Phone;

/// An opinion as submitted. Debug output masks the phone (see [`Phone`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionInput {
    pub category: OpinionCategory,
    pub content: String,
    pub location: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<ContactPhone>,
    /// Where the matter is, if the citizen shared or picked it.
    pub position: Option<Coordinates>,
    /// The district it is in, if known (else the addressed station's).
    pub division_code: Option<DivisionCode>,
}

impl OpinionInput {
    /// Checks the form: content 1–2,000 characters, location up to 200, contact name up to 50, a mobile
    /// number if a phone is given (blank means not given).
    pub fn parse(
        category: OpinionCategory,
        content: &str,
        location: Option<&str>,
        contact_name: Option<&str>,
        contact_phone: Option<&str>,
    ) -> Result<Self, DomainError> {
        let contact_phone = match contact_phone.map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(
                Phone::parse(raw)
                    .map_err(|_| DomainError::invalid("contactPhone", "must be an 11-digit mobile number"))?,
            ),
        };
        Ok(Self {
            category,
            content: bounded("content", content, 1, MAX_CONTENT)?,
            location: optional("location", location, MAX_LOCATION)?,
            contact_name: optional("contactName", contact_name, MAX_CONTACT_NAME)?,
            contact_phone,
            position: None,
            division_code: None,
        })
    }

    /// The personal data it gives, for the consent it needs ([`crate::privacy::Consent`]).
    pub fn personal_data(&self) -> Vec<PersonalDataKind> {
        let mut given = Vec::new();
        if self.contact_name.is_some() {
            given.push(PersonalDataKind::ContactName);
        }
        if self.contact_phone.is_some() {
            given.push(PersonalDataKind::ContactPhone);
        }
        if self.location.is_some() {
            given.push(PersonalDataKind::Location);
        }
        if self.position.is_some() {
            given.push(PersonalDataKind::Position);
        }
        given
    }

    /// The same, saying where: a point and the district, each if known.
    pub fn at(self, position: Option<Coordinates>, division_code: Option<DivisionCode>) -> Self {
        Self { position, division_code, ..self }
    }
}

/// Where an opinion goes, with the facts storage looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressee {
    /// A deputy, through their QR code; the station is the deputy's liaison station, if any.
    Deputy { deputy_id: Uuid, congress_id: Uuid, station_id: Option<Uuid> },
    /// A liaison station, through its form.
    Station { station_id: Uuid, congress_id: Uuid },
    /// A liaison station, recorded at a reception there.
    Reception { station_id: Uuid, congress_id: Uuid },
}

impl Addressee {
    pub fn congress_id(self) -> Uuid {
        match self {
            Addressee::Deputy { congress_id, .. }
            | Addressee::Station { congress_id, .. }
            | Addressee::Reception { congress_id, .. } => congress_id,
        }
    }

    pub fn station_id(self) -> Option<Uuid> {
        match self {
            Addressee::Deputy { station_id, .. } => station_id,
            Addressee::Station { station_id, .. } | Addressee::Reception { station_id, .. } => {
                Some(station_id)
            }
        }
    }

    pub fn deputy_id(self) -> Option<Uuid> {
        match self {
            Addressee::Deputy { deputy_id, .. } => Some(deputy_id),
            _ => None,
        }
    }

    pub fn source(self) -> OpinionSource {
        match self {
            Addressee::Deputy { .. } => OpinionSource::QrCode,
            Addressee::Station { .. } => OpinionSource::Station,
            Addressee::Reception { .. } => OpinionSource::Reception,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(
        content: &str,
        location: Option<&str>,
        name: Option<&str>,
        phone: Option<&str>,
    ) -> Result<(), String> {
        OpinionInput::parse(OpinionCategory::Transport, content, location, name, phone).map(|_| ()).map_err(
            |e| match e {
                DomainError::Invalid { field, .. } => field.to_owned(),
                other => panic!("{other:?}"),
            },
        )
    }

    #[test]
    fn lengths_are_bounded_in_characters() {
        assert_eq!(parse(&"路".repeat(2000), Some(&"址".repeat(200)), Some(&"名".repeat(50)), None), Ok(()));
        assert_eq!(parse(&"路".repeat(2001), None, None, None), Err("content".into()));
        assert_eq!(parse("  ", None, None, None), Err("content".into()));
        assert_eq!(parse("路灯坏了", Some(&"址".repeat(201)), None, None), Err("location".into()));
        assert_eq!(parse("路灯坏了", None, Some(&"名".repeat(51)), None), Err("contactName".into()));
    }

    #[test]
    fn a_phone_must_be_a_mobile_number_and_blank_means_none() {
        assert_eq!(parse("路灯坏了", None, None, Some("138 1234 5678")), Ok(()));
        assert_eq!(parse("路灯坏了", None, None, Some("12345")), Err("contactPhone".into()));
        let input = OpinionInput::parse(OpinionCategory::Other, "x", Some(" "), Some(""), Some(" "));
        assert_eq!(input.map(|i| (i.location, i.contact_name, i.contact_phone)), Ok((None, None, None)));
    }

    #[test]
    fn debug_output_masks_the_phone() {
        let input = OpinionInput::parse(OpinionCategory::Other, "x", None, None, Some("13812345678"));
        let shown = format!("{input:?}");
        assert!(shown.contains("138****5678") && !shown.contains("13812345678"), "{shown}");
    }
}
