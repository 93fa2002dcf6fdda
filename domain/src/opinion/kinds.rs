//! The small vocabularies of an opinion: categories, states, sources and how it was closed.

vocabulary!(
    /// What an opinion is about. The public form offers exactly these.
    OpinionCategory {
        /// 城市管理
        UrbanManagement = "URBAN_MANAGEMENT",
        /// 交通出行
        Transport = "TRANSPORT",
        /// 教育
        Education = "EDUCATION",
        /// 医疗卫生
        Health = "HEALTH",
        /// 社会保障
        SocialSecurity = "SOCIAL_SECURITY",
        /// 生态环境
        Environment = "ENVIRONMENT",
        /// 公共安全
        PublicSafety = "PUBLIC_SAFETY",
        /// 经济发展
        Economy = "ECONOMY",
        /// 其他
        Other = "OTHER",
    }
);

impl OpinionCategory {
    /// The Chinese label, as people read it (and as a converted suggestion's category).
    pub fn label(self) -> &'static str {
        match self {
            OpinionCategory::UrbanManagement => "城市管理",
            OpinionCategory::Transport => "交通出行",
            OpinionCategory::Education => "教育",
            OpinionCategory::Health => "医疗卫生",
            OpinionCategory::SocialSecurity => "社会保障",
            OpinionCategory::Environment => "生态环境",
            OpinionCategory::PublicSafety => "公共安全",
            OpinionCategory::Economy => "经济发展",
            OpinionCategory::Other => "其他",
        }
    }
}

vocabulary!(
    /// Where an opinion is in its closed loop.
    OpinionState {
        /// 已提交: waiting for someone to take it.
        Received = "RECEIVED",
        /// 已受理: a deputy or station worker took it and is responsible until it is closed (首问负责).
        Accepted = "ACCEPTED",
        /// 直接办理: the responsible person resolved it; feedback is due.
        ResolvedDirectly = "RESOLVED_DIRECTLY",
        /// 转办: forwarded to a handling unit, which replies; feedback is due after the reply.
        Forwarded = "FORWARDED",
        /// 转为建议: turned into a suggestion draft of the responsible deputy; feedback is due.
        Converted = "CONVERTED",
        /// 已反馈: the citizen has the answer and may rate it.
        FeedbackGiven = "FEEDBACK_GIVEN",
        /// 已办结: rated by the citizen, or closed 15 days after the feedback.
        Closed = "CLOSED",
    }
);

impl OpinionState {
    /// Where it stands, as the citizen who raised it reads it (the tracking page).
    pub fn label(self) -> &'static str {
        match self {
            OpinionState::Received => "已提交，等待受理",
            OpinionState::Accepted => "已受理，正在办理",
            OpinionState::ResolvedDirectly => "已办理，即将答复",
            OpinionState::Forwarded => "已转交有关单位办理",
            OpinionState::Converted => "已转为代表建议",
            OpinionState::FeedbackGiven => "已答复，请您评价",
            OpinionState::Closed => "已办结",
        }
    }
}

vocabulary!(
    /// How an opinion came in.
    OpinionSource {
        /// Through a deputy's QR code (代表二维码), addressed to that deputy.
        QrCode = "QR_CODE",
        /// Through a liaison station's form, addressed to the station.
        Station = "STATION",
        /// Raised at a reception (接待) and recorded there.
        Reception = "RECEPTION",
    }
);

vocabulary!(
    /// How an opinion was closed.
    ClosedBy {
        /// The citizen rated the outcome.
        Rating = "RATING",
        /// Nobody rated within the days allowed after the feedback.
        Timeout = "TIMEOUT",
    }
);

vocabulary!(
    /// What a step on an opinion's timeline records: the name each [`Event`](super::Event) is stored
    /// under.
    OpinionEventKind {
        /// The citizen (or a reception) submitted it.
        Submitted = "SUBMITTED",
        /// A deputy or station worker took responsibility for it (受理).
        Accepted = "ACCEPTED",
        /// The responsible person resolved it directly.
        ResolvedDirectly = "RESOLVED_DIRECTLY",
        /// Forwarded to a handling unit (转办).
        Forwarded = "FORWARDED",
        /// The handling unit replied.
        UnitReplied = "UNIT_REPLIED",
        /// Turned into a suggestion draft.
        Converted = "CONVERTED",
        /// The citizen was given the answer.
        FeedbackGiven = "FEEDBACK_GIVEN",
        /// The citizen rated the outcome.
        Rated = "RATED",
        /// Closed because nobody rated in time.
        ClosedByTimeout = "CLOSED_BY_TIMEOUT",
        /// The citizen's contact details were erased (retention, or their account was deleted).
        ContactErased = "CONTACT_ERASED",
    }
);

vocabulary!(
    /// Why an opinion's contact details were erased.
    ErasureReason {
        /// The retention period after closing ran out (`OpinionPolicy::contact_retention_days`).
        Retention = "RETENTION",
        /// The citizen deleted the account that submitted it.
        AccountDeleted = "ACCOUNT_DELETED",
    }
);

impl OpinionEventKind {
    /// What happened, as the citizen who raised it reads it (the tracking page).
    pub fn label(self) -> &'static str {
        match self {
            OpinionEventKind::Submitted => "提交",
            OpinionEventKind::Accepted => "受理",
            OpinionEventKind::ResolvedDirectly => "办理完毕",
            OpinionEventKind::Forwarded => "转交有关单位办理",
            OpinionEventKind::UnitReplied => "办理单位回复",
            OpinionEventKind::Converted => "转为代表建议",
            OpinionEventKind::FeedbackGiven => "答复",
            OpinionEventKind::Rated => "评价",
            OpinionEventKind::ClosedByTimeout => "办结（答复后未评价）",
            OpinionEventKind::ContactErased => "联系方式已按规定删除",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in OpinionCategory::ALL {
            assert_eq!(OpinionCategory::parse(c.as_str()), Ok(*c));
            assert!(!c.label().is_empty());
        }
        for s in OpinionState::ALL {
            assert_eq!(OpinionState::parse(s.as_str()), Ok(*s));
            assert!(!s.label().is_empty());
        }
        for k in OpinionEventKind::ALL {
            assert!(!k.label().is_empty());
        }
        assert_eq!(OpinionCategory::ALL.len(), 9);
        assert!(OpinionCategory::parse("transport").is_err());
    }
}
