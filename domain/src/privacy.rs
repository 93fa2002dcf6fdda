//! The privacy notices (个人信息处理告知) the public forms show, one per purpose, and the consent a submission
//! records: which purpose's notice, which version the citizen agreed to and which personal data it covered
//! (PIPL arts. 14 and 17). A form that takes no personal data needs no consent; one that does is refused
//! without the current version's, so a client showing an old notice learns it must show the new one. The
//! forms that take only a phone for an SMS code (voters' rating, appraisal votes, comments on draft laws by
//! phone) ask for the consent with the code request, before the phone is used.

use crate::DomainError;

/// The version of the notices: change it with any text, and clients must show the new one.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-12-06";

/// What the opinion form tells a citizen before they give personal data ([`PrivacyPurpose::Opinion`]).
pub const PRIVACY_NOTICE: &str = "个人信息处理告知：您填写的称呼、手机号、地点和位置，仅用于办理您反映的问题并向您回访。\
手机号加密保存，只有负责办理的代表、联络站工作人员和人大机关工作人员可以查看；意见办结后180天，称呼和手机号即被删除。\
您可以在e代表应用中下载您的个人信息副本或注销账号。";

/// What the sign-up form tells before it takes a phone and a name.
const ACCOUNT_NOTICE: &str = "个人信息处理告知：您注册时填写的手机号和称呼用于登录、接收验证码和您关注事项的通知。\
手机号不会公开；您提交的社情民意、法规意见等按各自的告知处理。您可以在e代表应用中下载您的个人信息副本或注销账号，\
注销后账号信息即被删除。";

/// What the voters' rating page tells before it takes a phone.
const VOTER_RATING_NOTICE: &str = "个人信息处理告知：您填写的手机号仅用于发送验证码，并确保每个手机号只测评一次。\
手机号不以明文保存，不会公开，也不与您的测评意见一同展示；测评结果只以汇总数字公布。";

/// What the appraisal vote page tells before it takes a phone.
const APPRAISAL_VOTE_NOTICE: &str = "个人信息处理告知：您填写的手机号仅用于核对您是否受邀参加本次满意度测评、发送验证码，\
并确保每个手机号只投票一次。手机号不以明文保存，投票不记名，结果只以汇总数字公布。";

/// What the draft-law comment form tells before it takes a phone.
const DRAFT_COMMENT_NOTICE: &str = "个人信息处理告知：您填写的手机号用于发送验证码、确保每条法规意见一人一条，\
并在需要时由人大机关工作人员与您联系。手机号加密保存，只有人大机关工作人员可以查看，不会公开；您的意见内容将公开显示（不显示手机号）。";

vocabulary!(
    /// What a public form takes personal data for: each purpose has its own notice.
    PrivacyPurpose {
        /// A citizen's opinion (社情民意): name, phone, place and position, to handle it and call back.
        Opinion = "OPINION",
        /// The voters' rating of a report to voters: a phone, for the code and one rating per phone.
        VoterRating = "VOTER_RATING",
        /// An appraisal's satisfaction vote by invited citizens: a phone, for the invitation, the code
        /// and one vote per phone.
        AppraisalVote = "APPRAISAL_VOTE",
        /// A comment on a draft law by phone: a phone, for the code, one comment per article and a call.
        DraftComment = "DRAFT_COMMENT",
        /// A citizen's sign-up: a phone and a name, for signing in and notices.
        Account = "ACCOUNT",
    }
);

impl PrivacyPurpose {
    /// The notice a form of this purpose shows.
    pub fn notice(self) -> &'static str {
        match self {
            PrivacyPurpose::Opinion => PRIVACY_NOTICE,
            PrivacyPurpose::VoterRating => VOTER_RATING_NOTICE,
            PrivacyPurpose::AppraisalVote => APPRAISAL_VOTE_NOTICE,
            PrivacyPurpose::DraftComment => DRAFT_COMMENT_NOTICE,
            PrivacyPurpose::Account => ACCOUNT_NOTICE,
        }
    }
}

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

    /// The consent a code request needs: the phone is always given, so the citizen must have agreed to the
    /// current notice of the form's purpose (BAD_USER_INPUT on `privacyConsent` otherwise).
    pub fn for_phone_code(agreed: Option<&str>) -> Result<Self, DomainError> {
        Self::required(vec![PersonalDataKind::ContactPhone], agreed, "to give your phone")
    }

    /// The consent a citizen's sign-up needs: it always gives a phone and a name.
    pub fn for_sign_up(agreed: Option<&str>) -> Result<Self, DomainError> {
        Self::required(
            vec![PersonalDataKind::ContactName, PersonalDataKind::ContactPhone],
            agreed,
            "to sign up",
        )
    }

    /// The consent of a form that always takes `given` ([`Consent::for_submission`] with something given),
    /// its refusal saying what the citizen was doing.
    fn required(
        given: Vec<PersonalDataKind>,
        agreed: Option<&str>,
        doing: &str,
    ) -> Result<Self, DomainError> {
        let Some(agreed) = agreed else {
            return Err(DomainError::invalid(
                "privacyConsent",
                format!("agree to the privacy notice (version {PRIVACY_NOTICE_VERSION}) {doing}"),
            ));
        };
        let consent = Self::for_submission(given, Some(agreed))?;
        consent.ok_or_else(|| DomainError::invalid("privacyConsent", "agree to the privacy notice"))
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
            assert!(matches!(
                Consent::for_phone_code(agreed),
                Err(DomainError::Invalid { field: "privacyConsent", .. })
            ));
        }
    }

    #[test]
    fn a_code_request_always_gives_a_phone() {
        let consent = Consent::for_phone_code(Some(PRIVACY_NOTICE_VERSION)).unwrap();
        assert_eq!(consent.covers_text(), "CONTACT_PHONE");
    }

    #[test]
    fn each_purpose_has_its_own_notice_naming_the_phone() {
        let notices: std::collections::BTreeSet<&str> =
            PrivacyPurpose::ALL.iter().map(|p| p.notice()).collect();
        assert_eq!(notices.len(), PrivacyPurpose::ALL.len());
        assert!(notices.iter().all(|n| n.starts_with("个人信息处理告知") && n.contains("手机号")));
    }
}
