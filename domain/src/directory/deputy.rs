use crate::DomainError;
use crate::text::bounded;

/// A deputy's gender as published on the roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "MALE",
            Gender::Female => "FEMALE",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        match raw {
            "MALE" => Ok(Gender::Male),
            "FEMALE" => Ok(Gender::Female),
            _ => Err(DomainError::invalid("gender", format!("unknown gender {raw:?}"))),
        }
    }
}

/// The occupation categories used in the deputy roster (履职资源分类名册) and in composition reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OccupationCategory {
    /// 工人、农民
    WorkerOrFarmer,
    /// 专业技术人员
    Professional,
    /// 党政领导干部
    Official,
    /// 企业负责人
    BusinessLeader,
    /// 解放军、武警
    Military,
    /// 其他
    Other,
}

impl OccupationCategory {
    pub const ALL: [OccupationCategory; 6] = [
        OccupationCategory::WorkerOrFarmer,
        OccupationCategory::Professional,
        OccupationCategory::Official,
        OccupationCategory::BusinessLeader,
        OccupationCategory::Military,
        OccupationCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OccupationCategory::WorkerOrFarmer => "WORKER_OR_FARMER",
            OccupationCategory::Professional => "PROFESSIONAL",
            OccupationCategory::Official => "OFFICIAL",
            OccupationCategory::BusinessLeader => "BUSINESS_LEADER",
            OccupationCategory::Military => "MILITARY",
            OccupationCategory::Other => "OTHER",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == raw)
            .ok_or_else(|| DomainError::invalid("occupation", format!("unknown occupation category {raw:?}")))
    }
}

/// A deputy's areas of expertise (e.g. 教育, 医疗): at most 10 distinct tags of 1–20 characters each,
/// kept in the order given. Used to find the right deputies for a draft law or an inspection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExpertiseTags(Vec<String>);

impl ExpertiseTags {
    pub const MAX: usize = 10;

    pub fn parse<S: AsRef<str>>(raw: &[S]) -> Result<Self, DomainError> {
        let mut tags: Vec<String> = Vec::with_capacity(raw.len());
        for tag in raw {
            let tag = bounded("expertise", tag.as_ref(), 1, 20)?;
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        if tags.len() > Self::MAX {
            return Err(DomainError::invalid("expertise", format!("at most {} tags", Self::MAX)));
        }
        Ok(Self(tags))
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn into_vec(self) -> Vec<String> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expertise_is_trimmed_deduplicated_and_bounded() {
        let tags = ExpertiseTags::parse(&[" 教育 ", "医疗", "教育"]);
        assert_eq!(tags.map(ExpertiseTags::into_vec), Ok(vec!["教育".to_owned(), "医疗".to_owned()]));
        let eleven: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        assert!(ExpertiseTags::parse(&eleven).is_err());
        assert!(ExpertiseTags::parse(&[""]).is_err());
    }

    #[test]
    fn enums_round_trip() {
        for c in OccupationCategory::ALL {
            assert_eq!(OccupationCategory::parse(c.as_str()), Ok(c));
        }
        for g in [Gender::Male, Gender::Female] {
            assert_eq!(Gender::parse(g.as_str()), Ok(g));
        }
        assert!(Gender::parse("X").is_err());
    }
}
