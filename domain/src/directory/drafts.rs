//! Validated contents of directory records, as staff enter them. Each `parse` is the one place where the
//! record's input rules live; once a draft exists, storing it needs no further checks but references.

use super::{CongressLevel, ExpertiseTags, Gender, OccupationCategory, StationKind, Term};
use crate::DomainError;
use crate::account::Phone;
use crate::geo::{Coordinates, DivisionCode};
use crate::text::{bounded, optional, web_url};

/// A congress: name, level, region and term.
#[derive(Debug, Clone, PartialEq)]
pub struct CongressDraft {
    pub name: String,
    pub level: CongressLevel,
    pub region: String,
    pub term: Term,
}

impl CongressDraft {
    pub fn parse(name: &str, level: CongressLevel, region: &str, term: i32) -> Result<Self, DomainError> {
        Ok(Self {
            name: bounded("name", name, 1, 100)?,
            level,
            region: bounded("region", region, 1, 100)?,
            term: Term::parse(term)?,
        })
    }
}

/// Anything the directory knows by a name and an optional description: deputy groups, committees,
/// professional groups, handling units.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedDraft {
    pub name: String,
    pub description: Option<String>,
}

impl NamedDraft {
    pub fn parse(name: &str, description: Option<&str>) -> Result<Self, DomainError> {
        Ok(Self {
            name: bounded("name", name, 1, 100)?,
            description: optional("description", description, 2000)?,
        })
    }
}

/// A liaison station (联络站), home (代表之家) or contact point.
#[derive(Debug, Clone, PartialEq)]
pub struct StationDraft {
    pub name: String,
    pub kind: StationKind,
    pub address: String,
    pub position: Option<Coordinates>,
    pub opening_hours: Option<String>,
    /// The district it is in (行政区划代码): opinions addressed here are placed there unless they say.
    pub division_code: Option<DivisionCode>,
}

impl StationDraft {
    pub fn parse(
        name: &str,
        kind: StationKind,
        address: &str,
        position: Option<(f64, f64)>,
        opening_hours: Option<&str>,
    ) -> Result<Self, DomainError> {
        Ok(Self {
            name: bounded("name", name, 1, 100)?,
            kind,
            address: bounded("address", address, 1, 200)?,
            position: position.map(|(lat, lon)| Coordinates::parse(lat, lon)).transpose()?,
            opening_hours: optional("openingHours", opening_hours, 200)?,
            division_code: None,
        })
    }

    /// The same, in a district.
    pub fn in_division(self, division_code: Option<DivisionCode>) -> Self {
        Self { division_code, ..self }
    }
}

/// Raw input for a deputy profile, as typed by staff.
#[derive(Debug, Clone, Default)]
pub struct DeputyInput<'a> {
    pub name: &'a str,
    pub occupation_industry: Option<&'a str>,
    pub expertise: &'a [String],
    pub bio: Option<&'a str>,
    pub photo_url: Option<&'a str>,
    pub phone: Option<&'a str>,
}

/// A deputy's profile. The phone is private; the rest appears on the public card.
#[derive(Debug, Clone, PartialEq)]
pub struct DeputyDraft {
    pub name: String,
    pub gender: Gender,
    pub occupation: OccupationCategory,
    pub industry: Option<String>,
    pub expertise: ExpertiseTags,
    pub bio: Option<String>,
    pub photo_url: Option<String>,
    pub phone: Option<Phone>,
}

impl DeputyDraft {
    pub fn parse(
        input: &DeputyInput<'_>,
        gender: Gender,
        occupation: OccupationCategory,
    ) -> Result<Self, DomainError> {
        Ok(Self {
            name: bounded("name", input.name, 1, 50)?,
            gender,
            occupation,
            industry: optional("industry", input.occupation_industry, 50)?,
            expertise: ExpertiseTags::parse(input.expertise)?,
            bio: optional("bio", input.bio, 2000)?,
            photo_url: input
                .photo_url
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(|u| web_url("photoUrl", u))
                .transpose()?,
            phone: input.phone.map(str::trim).filter(|p| !p.is_empty()).map(Phone::parse).transpose()?,
        })
    }
}

/// A record may only point at records of its own congress (a deputy at a station of another city is a
/// data-entry slip). `field` names the reference for the error.
pub fn same_congress(
    field: &'static str,
    expected: uuid::Uuid,
    referenced: Option<uuid::Uuid>,
) -> Result<(), DomainError> {
    match referenced {
        Some(c) if c != expected => Err(DomainError::invalid(field, "belongs to another congress")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deputy_draft_validates_every_field() {
        let ok = DeputyInput { name: " 王五 ", phone: Some("13812345678"), ..Default::default() };
        let draft = DeputyDraft::parse(&ok, Gender::Male, OccupationCategory::Professional);
        assert_eq!(draft.as_ref().map(|d| d.name.as_str()), Ok("王五"));
        for bad in [
            DeputyInput { name: "", ..Default::default() },
            DeputyInput { name: "a", phone: Some("123"), ..Default::default() },
            DeputyInput { name: "a", photo_url: Some("ftp://x"), ..Default::default() },
            DeputyInput { name: "a", bio: Some(&"x".repeat(2001)), ..Default::default() },
        ] {
            assert!(DeputyDraft::parse(&bad, Gender::Male, OccupationCategory::Other).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn station_needs_address_and_valid_position() {
        assert!(StationDraft::parse("站", StationKind::Station, "路1号", Some((30.0, 120.0)), None).is_ok());
        assert!(StationDraft::parse("站", StationKind::Station, " ", None, None).is_err());
        assert!(StationDraft::parse("站", StationKind::Station, "路", Some((95.0, 0.0)), None).is_err());
    }

    #[test]
    fn congress_and_named_drafts() {
        assert!(CongressDraft::parse("市人大", CongressLevel::City, "示例市", 17).is_ok());
        assert!(CongressDraft::parse("市人大", CongressLevel::City, "示例市", 0).is_err());
        assert!(NamedDraft::parse("", None).is_err());
        assert_eq!(NamedDraft::parse("组", Some(" ")).map(|d| d.description), Ok(None));
    }

    #[test]
    fn references_stay_in_one_congress() {
        let a = uuid::Uuid::from_u128(1);
        let b = uuid::Uuid::from_u128(2);
        assert!(same_congress("liaisonStationId", a, Some(a)).is_ok());
        assert!(same_congress("liaisonStationId", a, None).is_ok());
        assert!(same_congress("liaisonStationId", a, Some(b)).is_err());
    }
}
