use crate::DomainError;

/// Kinds of places where deputies meet the public. Serialised (e.g. in cached deputy cards) as its
/// [`StationKind::as_str`] name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StationKind {
    /// 代表联络站
    Station,
    /// 代表之家
    Home,
    /// 代表联系点
    ContactPoint,
    /// 基层立法联系点: also collects comments on draft laws.
    LegislativeContactPoint,
}

impl StationKind {
    pub const ALL: [StationKind; 4] = [
        StationKind::Station,
        StationKind::Home,
        StationKind::ContactPoint,
        StationKind::LegislativeContactPoint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StationKind::Station => "STATION",
            StationKind::Home => "HOME",
            StationKind::ContactPoint => "CONTACT_POINT",
            StationKind::LegislativeContactPoint => "LEGISLATIVE_CONTACT_POINT",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw)
            .ok_or_else(|| DomainError::invalid("kind", format!("unknown station kind {raw:?}")))
    }
}
