use crate::DomainError;

/// What a person is in the system. One account has one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A people's congress deputy (代表).
    Deputy,
    /// A member of the public (群众).
    Citizen,
    /// Staff of one handling unit (承办单位).
    UnitStaff,
    /// Staff of one congress (代表工委 / 人大工作人员).
    CongressStaff,
    /// A worker of one liaison station (联络站工作人员): receives citizens' opinions there.
    StationStaff,
    /// Runs the platform.
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Deputy, Role::Citizen, Role::UnitStaff, Role::CongressStaff, Role::StationStaff, Role::Admin];

    /// The stable name stored in the database and in tokens.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Deputy => "DEPUTY",
            Role::Citizen => "CITIZEN",
            Role::UnitStaff => "UNIT_STAFF",
            Role::CongressStaff => "CONGRESS_STAFF",
            Role::StationStaff => "STATION_STAFF",
            Role::Admin => "ADMIN",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == raw)
            .ok_or_else(|| DomainError::invalid("role", format!("unknown role {raw:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("deputy").is_err());
    }
}
