//! Stable codes for programs, with the Chinese sentences students read.

use std::fmt;

use serde::{Serialize, Serializer};

use super::rules::RuleSet;

/// Why a credit change happened (the change feed's `reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    /// A good or bad review scored ±1.
    Scored,
    /// A neutral review: 0 points.
    Neutral,
    /// The order cost no more than the rule set's low price (¥1): 0 points.
    LowPrice,
    /// The same item, created within the rule set's days (14), already scored
    /// this way: 0 points.
    SameItem14d,
    /// The counterpart already added the rule set's cap (6) this natural month: 0 points.
    MonthlyCap,
    /// The system's default good review at the window's close.
    DefaultGood,
    /// Tmall: the seller's good review created with the buyer's.
    AutoGood,
    /// A neutral or bad review was changed to good.
    Revised,
    /// A neutral or bad review was deleted.
    Deleted,
}

impl Reason {
    /// A review's `base` points when no section-3 rule zeroes them, with the
    /// reason: scored (±1) or neutral (0).
    pub(crate) fn unzeroed(base: i8) -> (i8, Reason) {
        let reason = if base == 0 {
            Reason::Neutral
        } else {
            Reason::Scored
        };
        (base, reason)
    }

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Scored => "scored",
            Reason::Neutral => "neutral",
            Reason::LowPrice => "low_price",
            Reason::SameItem14d => "same_item_14d",
            Reason::MonthlyCap => "monthly_cap",
            Reason::DefaultGood => "default_good",
            Reason::AutoGood => "auto_good",
            Reason::Revised => "revised",
            Reason::Deleted => "deleted",
        }
    }

    /// The rule in one Chinese sentence, with the numbers of `rules` (a rule
    /// set is data: an edited one is explained as it stands).
    pub fn rule_zh(self, rules: &RuleSet) -> String {
        match self {
            Reason::Scored => "好评加 1 分，差评减 1 分。".into(),
            Reason::Neutral => "中评不加分也不减分，但会拉低好评率。".into(),
            Reason::LowPrice => format!(
                "订单金额不超过 {} 元，评价不计信用分。",
                yuan(rules.low_price_max)
            ),
            Reason::SameItem14d => format!(
                "相同买卖双方任意 {} 天内就同款商品的多笔交易，多个好评只加 1 分、多个差评只减 1 分。",
                rules.same_item_days
            ),
            Reason::MonthlyCap => format!(
                "每个自然月，相同买家与卖家之间的交易，增加的信用积分不超过 {} 分（扣分不设上限）。",
                rules.monthly_cap
            ),
            Reason::DefaultGood => format!(
                "一方给了好评而对方 {} 天内未评价，系统默认对方给出好评。",
                rules.review_window_days
            ),
            Reason::AutoGood => "天猫：买家评价后，系统自动给买家一个好评。".into(),
            Reason::Revised => format!(
                "中评、差评在 {} 天内可修改一次为好评，原分数撤回后按好评重新计分。",
                rules.revise_days
            ),
            Reason::Deleted => format!(
                "中评、差评在 {} 天内可删除一次，原分数撤回，评价不再显示。",
                rules.revise_days
            ),
        }
    }
}

/// A price limit in yuan as people write it: 1, 0.5, 1.25.
fn yuan(amount: f64) -> String {
    let cents = format!("{amount:.2}");
    cents
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// Why an event was rejected (the `rejected` list's `code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RejectCode {
    /// Earlier than an event before it.
    TimeOutOfOrder,
    /// Later than the report's `as_of`.
    AfterAsOf,
    /// An order id used twice.
    DuplicateId,
    /// Buyer and seller are the same user.
    SelfTrade,
    /// A negative or non-finite price.
    BadPrice,
    /// `created` is after `at`.
    CreatedAfterCompletion,
    /// No such order.
    UnknownOrder,
    /// The rule set does not allow this.
    NotAllowedByRules,
    /// The review window is closed.
    WindowClosed,
    /// This party already reviewed this order.
    AlreadyReviewed,
    /// The buyer already rated this order.
    AlreadyRated,
    /// A DSR field that the rule set does not rate.
    DsrUnknownDimension,
    /// A DSR with no score.
    DsrEmpty,
    /// A DSR score that is not an integer 1–5.
    DsrOutOfRange,
    /// No review to revise, or it was deleted.
    NothingToRevise,
    /// The review was already revised once.
    AlreadyRevised,
    /// A good review cannot be revised.
    NotRevisable,
    /// Past the rule set's days (30) after the review.
    ReviseWindowClosed,
    /// A follow-up needs the buyer's review.
    FollowUpNeedsReview,
    /// The buyer already followed up.
    AlreadyFollowedUp,
    /// Past the rule set's days (180) after trade success.
    FollowUpWindowClosed,
    /// The sender did not receive that review or follow-up.
    ReplyNotAllowed,
    /// Already replied to that.
    AlreadyReplied,
    /// Past the rule set's days (30) after the review or follow-up.
    ReplyWindowClosed,
    /// The clock cannot move backwards.
    ClockBackwards,
}

impl RejectCode {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            RejectCode::TimeOutOfOrder => "time_out_of_order",
            RejectCode::AfterAsOf => "after_as_of",
            RejectCode::DuplicateId => "duplicate_id",
            RejectCode::SelfTrade => "self_trade",
            RejectCode::BadPrice => "bad_price",
            RejectCode::CreatedAfterCompletion => "created_after_completion",
            RejectCode::UnknownOrder => "unknown_order",
            RejectCode::NotAllowedByRules => "not_allowed_by_rules",
            RejectCode::WindowClosed => "window_closed",
            RejectCode::AlreadyReviewed => "already_reviewed",
            RejectCode::AlreadyRated => "already_rated",
            RejectCode::DsrUnknownDimension => "dsr_unknown_dimension",
            RejectCode::DsrEmpty => "dsr_empty",
            RejectCode::DsrOutOfRange => "dsr_out_of_range",
            RejectCode::NothingToRevise => "nothing_to_revise",
            RejectCode::AlreadyRevised => "already_revised",
            RejectCode::NotRevisable => "not_revisable",
            RejectCode::ReviseWindowClosed => "revise_window_closed",
            RejectCode::FollowUpNeedsReview => "follow_up_needs_review",
            RejectCode::AlreadyFollowedUp => "already_followed_up",
            RejectCode::FollowUpWindowClosed => "follow_up_window_closed",
            RejectCode::ReplyNotAllowed => "reply_not_allowed",
            RejectCode::AlreadyReplied => "already_replied",
            RejectCode::ReplyWindowClosed => "reply_window_closed",
            RejectCode::ClockBackwards => "clock_backwards",
        }
    }

    /// The rule that refused the event, in Chinese, with the numbers of `rules`.
    pub fn rule_zh(self, rules: &RuleSet) -> String {
        let fixed = match self {
            RejectCode::TimeOutOfOrder => "事件须按时间先后发生，不能早于前面的事件。",
            RejectCode::AfterAsOf => "该事件晚于报告时刻，尚未发生。",
            RejectCode::DuplicateId => "订单号不能重复。",
            RejectCode::SelfTrade => "买家和卖家不能是同一人。",
            RejectCode::BadPrice => "价格须为不小于 0 的有限数字。",
            RejectCode::CreatedAfterCompletion => "下单时间不能晚于交易成功时间。",
            RejectCode::UnknownOrder => "找不到这笔订单（订单不存在或未被接受）。",
            RejectCode::NotAllowedByRules => "当前平台规则不允许这样操作。",
            RejectCode::WindowClosed => {
                return format!(
                    "评价须在交易成功后 {} 天内做出，评价期已结束。",
                    rules.review_window_days
                )
            }
            RejectCode::AlreadyReviewed => "每笔订单每一方只能评价一次（删除过的评价也算评过）。",
            RejectCode::AlreadyRated => "每笔订单买家只能做一次店铺评分，评分一旦做出无法修改。",
            RejectCode::DsrUnknownDimension => "店铺评分只能给本平台的评分项打分。",
            RejectCode::DsrEmpty => "店铺评分至少要给一项打分。",
            RejectCode::DsrOutOfRange => "店铺评分每项须为 1～5 的整数。",
            RejectCode::NothingToRevise => "没有可修改的评价（尚未评价或已删除）。",
            RejectCode::AlreadyRevised => "中评、差评只能修改或删除一次。",
            RejectCode::NotRevisable => "好评不能修改，只有中评、差评可以修改或删除。",
            RejectCode::ReviseWindowClosed => {
                return format!(
                    "中评、差评只能在做出后的 {} 天内修改或删除。",
                    rules.revise_days
                )
            }
            RejectCode::FollowUpNeedsReview => "追评须在买家做出信用评价之后。",
            RejectCode::AlreadyFollowedUp => "每笔订单只能追评一次，追评内容不能修改。",
            RejectCode::FollowUpWindowClosed => {
                return format!("追评须在交易成功之日起 {} 天内。", rules.follow_up_days)
            }
            RejectCode::ReplyNotAllowed => {
                "只有收到该评价或追评的一方才能解释（买家不能解释追评）。"
            }
            RejectCode::AlreadyReplied => "每条评价或追评只能解释一次。",
            RejectCode::ReplyWindowClosed => {
                return format!("解释须在评价或追评做出后的 {} 天内。", rules.reply_days)
            }
            RejectCode::ClockBackwards => "时钟只能向前拨。",
        };
        fixed.to_string()
    }
}

impl Serialize for RejectCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// An error for a whole call: the input is not a log, or not a rule set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreditError {
    /// Stable code: `invalid_json`, `not_an_object`, `missing_field`, `bad_field`,
    /// `unknown_kind`, `bad_time`, `unknown_rules`, `bad_data`, `clock_backwards`.
    pub code: &'static str,
    /// The event's index in the log, when one event is at fault.
    pub event: Option<usize>,
    /// The field at fault.
    pub field: Option<String>,
    /// The message for people, in Chinese.
    pub message: String,
}

impl CreditError {
    pub(crate) fn new(
        code: &'static str,
        event: Option<usize>,
        field: Option<&str>,
        message: String,
    ) -> Self {
        let place = match (event, field) {
            (Some(i), Some(f)) => format!("第 {i} 个事件（从 0 数起）的字段 `{f}`：",),
            (Some(i), None) => format!("第 {i} 个事件（从 0 数起）："),
            (None, Some(f)) => format!("字段 `{f}`："),
            (None, None) => String::new(),
        };
        CreditError {
            code,
            event,
            field: field.map(str::to_string),
            message: place + &message,
        }
    }

    pub(crate) fn unknown_rules(id: &str) -> Self {
        Self::new(
            "unknown_rules",
            None,
            Some("rules"),
            format!("没有名为“{id}”的规则集，可用的是 taobao（淘宝）和 tmall（天猫）。"),
        )
    }

    pub(crate) fn bad_data(what: &str, detail: &str) -> Self {
        Self::new("bad_data", None, None, format!("{what} 数据无效：{detail}"))
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.code
    }
}

impl fmt::Display for CreditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CreditError {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn explanations_quote_the_numbers_of_the_rule_set_in_force() {
        let taobao = RuleSet::builtin("taobao").unwrap();
        assert_eq!(
            Reason::LowPrice.rule_zh(&taobao),
            "订单金额不超过 1 元，评价不计信用分。"
        );
        assert!(Reason::MonthlyCap.rule_zh(&taobao).contains("不超过 6 分"));
        assert!(RejectCode::WindowClosed
            .rule_zh(&taobao)
            .contains("15 天内"));
        // A course's own edit of the rule set is explained as it stands.
        let edited = RuleSet {
            review_window_days: 20,
            low_price_max: 0.5,
            same_item_days: 7,
            monthly_cap: 4,
            revise_days: 45,
            follow_up_days: 90,
            reply_days: 10,
            ..taobao
        };
        let said = |text: String, part: &str| assert!(text.contains(part), "{text}");
        said(Reason::LowPrice.rule_zh(&edited), "不超过 0.5 元");
        said(Reason::SameItem14d.rule_zh(&edited), "任意 7 天内");
        said(Reason::MonthlyCap.rule_zh(&edited), "不超过 4 分");
        said(Reason::DefaultGood.rule_zh(&edited), "对方 20 天内");
        said(Reason::Revised.rule_zh(&edited), "在 45 天内");
        said(Reason::Deleted.rule_zh(&edited), "在 45 天内");
        said(RejectCode::WindowClosed.rule_zh(&edited), "后 20 天内");
        said(
            RejectCode::ReviseWindowClosed.rule_zh(&edited),
            "后的 45 天内",
        );
        said(
            RejectCode::FollowUpWindowClosed.rule_zh(&edited),
            "起 90 天内",
        );
        said(
            RejectCode::ReplyWindowClosed.rule_zh(&edited),
            "后的 10 天内",
        );
    }

    #[test]
    fn a_price_limit_is_written_as_people_write_it() {
        assert_eq!(yuan(1.0), "1");
        assert_eq!(yuan(0.5), "0.5");
        assert_eq!(yuan(1.25), "1.25");
        assert_eq!(yuan(10.0), "10");
        assert_eq!(yuan(0.0), "0");
    }
}
