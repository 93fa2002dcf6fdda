//! The privacy notice (个人信息处理告知) the public forms show, and the consent a submission records: which
//! version of the notice the citizen agreed to and which personal data it covered (PIPL arts. 14 and 17).
//! A form that takes no personal data needs no consent; one that does is refused without the current
//! version's, so a client showing an old notice learns it must show the new one.

use crate::DomainError;

/// The version of [`PRIVACY_NOTICE`]: change it with the text, and clients must show the new one.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-12-06";

/// What the public forms tell a citizen before they give personal data.
pub const PRIVACY_NOTICE: &str = "个人信息处理告知：您填写的称呼、手机号、地点和位置，仅用于办理您反映的问题并向您回访。\
手机号加密保存，只有负责办理的代表、联络站工作人员和人大机关工作人员可以查看；意见办结后180天，称呼和手机号即被删除。\
您可以在e代表应用中下载您的个人信息副本或注销账号。";

vocabulary!(
    /// A kind of personal data a form may take.
    PersonalDataKind {
        /// 称呼.
        ContactName = "CONTACT_NAME",
        /// 手机号.
        ContactPhone = "CONTACT_PHONE",
        /// The place as typed.
        Location = "LOCATION",
        /// The point shared from the phone or picked on a map.
        Position = "POSITION",
    }
);

/// A consent, as recorded with the submission it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub notice_version: &'static str,
    /// What it covered: exactly the personal data given.
    pub covers: Vec<PersonalDataKind>,
}

impl Consent {
    /// The consent a submission giving `given` needs: none when nothing personal is given; otherwise the
    /// citizen must have agreed to the current notice (`agreed`, the version they were shown), or the
    /// submission is BAD_USER_INPUT on `privacyConsent`.
    pub fn for_submission(
        given: Vec<PersonalDataKind>,
        agreed: Option<&str>,
    ) -> Result<Option<Self>, DomainError> {
        if given.is_empty() {
            return Ok(None);
        }
        match agreed.map(str::trim) {
            Some(PRIVACY_NOTICE_VERSION) => {
                Ok(Some(Self { notice_version: PRIVACY_NOTICE_VERSION, covers: given }))
            }
            Some(_) => Err(DomainError::invalid(
                "privacyConsent",
                format!(
                    "the privacy notice has changed: show version {PRIVACY_NOTICE_VERSION} and ask again"
                ),
            )),
            None => Err(DomainError::invalid(
                "privacyConsent",
                format!(
                    "agree to the privacy notice (version {PRIVACY_NOTICE_VERSION}) to give a name, a phone or a place"
                ),
            )),
        }
    }

    /// The kinds covered, as stored (`CONTACT_NAME,CONTACT_PHONE`).
    pub fn covers_text(&self) -> String {
        self.covers.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_needs_the_current_notice() {
        assert_eq!(Consent::for_submission(Vec::new(), None), Ok(None), "nothing personal, nothing to agree");
        let given = vec![PersonalDataKind::ContactPhone, PersonalDataKind::Position];
        let consent = Consent::for_submission(given.clone(), Some(PRIVACY_NOTICE_VERSION)).unwrap();
        assert_eq!(consent.map(|c| c.covers_text()).as_deref(), Some("CONTACT_PHONE,POSITION"));
        for agreed in [None, Some("2020-01-01"), Some("")] {
            let refused = Consent::for_submission(given.clone(), agreed);
            assert!(
                matches!(refused, Err(DomainError::Invalid { field: "privacyConsent", .. })),
                "{agreed:?}"
            );
        }
    }
}
