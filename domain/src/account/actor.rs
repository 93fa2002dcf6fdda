use super::Role;
use uuid::Uuid;

/// Who is acting: the authenticated account with the affiliations that rules look at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actor {
    pub user_id: Uuid,
    pub role: Role,
    /// The congress of congress staff, or of the deputy.
    pub congress_id: Option<Uuid>,
    /// The handling unit of unit staff.
    pub unit_id: Option<Uuid>,
    /// The deputy profile of a deputy account.
    pub deputy_id: Option<Uuid>,
    /// The liaison station of station staff.
    pub station_id: Option<Uuid>,
}

impl Actor {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Congress staff of `congress_id`, or an admin.
    pub fn is_staff_of(&self, congress_id: Uuid) -> bool {
        self.is_admin() || (self.role == Role::CongressStaff && self.congress_id == Some(congress_id))
    }
}
