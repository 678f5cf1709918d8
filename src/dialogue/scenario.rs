//! Scenarios: one unhappy buyer each, as data (`data/dialogue/scenarios.json`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::error::DialogueError;

const BANK: &str = include_str!("../../data/dialogue/scenarios.json");

/// The lesson's three groups of causes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CauseGroup {
    /// 商品的问题: short or broken, colour, smell, threads, quality, counterfeit.
    Product,
    /// 买家主观感受: size, price, no longer wanted.
    Buyer,
    /// 服务售后: attitude, replies, return/refund, logistics.
    Service,
}

impl CauseGroup {
    /// The Chinese name used in the lesson.
    pub fn label(self) -> &'static str {
        match self {
            CauseGroup::Product => "商品问题",
            CauseGroup::Buyer => "买家主观感受",
            CauseGroup::Service => "服务售后问题",
        }
    }

    /// Parse the JSON name (`product`, `buyer`, `service`).
    pub fn parse(s: &str) -> Option<CauseGroup> {
        match s.trim() {
            "product" => Some(CauseGroup::Product),
            "buyer" => Some(CauseGroup::Buyer),
            "service" => Some(CauseGroup::Service),
            _ => None,
        }
    }
}

/// How the buyer behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Persona {
    /// 礼貌型: reasonable, calms quickly.
    Polite,
    /// 愤怒型: needs a real apology first.
    Angry,
    /// 砍价型: bargains for more compensation.
    BargainHunter,
    /// 恶意型 / 职业差评师: wants money, never revises.
    Malicious,
}

/// 中评 or 差评.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// 中评.
    Neutral,
    /// 差评.
    Negative,
}

/// The shop's detailed seller ratings (店铺评分), 1 to 5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dsr {
    /// 描述相符.
    pub description: u8,
    /// 服务态度.
    pub service: u8,
    /// 物流服务.
    pub logistics: u8,
}

/// The review as it appears on the shop page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// 中评 or 差评.
    pub rating: Rating,
    /// What the buyer wrote.
    pub text: String,
    /// The shop ratings given with it.
    pub dsr: Dsr,
    /// When it was posted (`YYYY-MM-DD HH:MM`).
    pub date: String,
}

/// The order behind the review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// Product name.
    pub product: String,
    /// Model, colour, size.
    pub model: String,
    /// Price paid, in yuan.
    pub price: f64,
    /// The buyer's account name (客户ID).
    pub customer: String,
}

/// What really went wrong, revealed only when the agent asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Truth {
    /// The lesson's group.
    pub group: CauseGroup,
    /// The specific cause, e.g. `loose-threads`.
    pub cause: String,
    /// One sentence for the teacher and the final report.
    pub detail: String,
    /// Words that show the cause has come out in the dialogue.
    pub keywords: Vec<String>,
    /// What the buyer says when asked.
    pub reveal: String,
}

/// Kinds of remedy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Remedy {
    /// 退货退款.
    Return,
    /// 部分退款 / 补偿金.
    Money,
    /// 换货.
    Exchange,
    /// 补发.
    Reship,
    /// 优惠券.
    Coupon,
    /// 赠品.
    Gift,
    /// 下次包邮.
    FreeShipping,
}

/// What the buyer would accept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accepts {
    /// Remedies that satisfy the buyer.
    pub remedies: Vec<Remedy>,
    /// Smallest cash amount (yuan) the buyer takes, when money is offered.
    pub min_yuan: u32,
    /// Whether the buyer refuses every remedy until someone apologises.
    pub needs_apology: bool,
    /// What the buyer asks for when asked what they want.
    pub demand: String,
}

/// The shop's limits for this case (default: 中评 ¥5, 差评 ¥10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BottomLine {
    /// Most cash (yuan) a service agent may offer.
    pub max_yuan: u32,
    /// Other remedies the shop allows.
    pub allowed: Vec<Remedy>,
}

/// How and when the shop reaches the buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// `wangwang` (旺旺), `phone` or `sms`.
    pub channel: String,
    /// When the agent gets in touch (`YYYY-MM-DD HH:MM`).
    pub time: String,
    /// Whether the buyer is online (and so can revise the review now).
    pub buyer_online: bool,
}

/// One practice case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Stable id, e.g. `loose-thread-01`.
    pub id: String,
    /// Short Chinese title.
    pub title: String,
    /// The review on the shop page.
    pub review: Review,
    /// The order.
    pub order: Order,
    /// The true cause.
    pub truth: Truth,
    /// The buyer's persona.
    pub persona: Persona,
    /// What the buyer would accept.
    pub accepts: Accepts,
    /// The shop's bottom line.
    pub bottom_line: BottomLine,
    /// Contact context.
    pub contact: Contact,
    /// The buyer's first message when the agent gets in touch.
    pub opening: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bank {
    #[serde(rename = "$schema", default)]
    _schema: Option<String>,
    scenarios: Vec<Scenario>,
}

/// All built-in scenarios (empty if the built-in file were broken; a test guards that).
pub fn scenarios() -> &'static [Scenario] {
    static ALL: OnceLock<Vec<Scenario>> = OnceLock::new();
    ALL.get_or_init(|| {
        serde_json::from_str::<Bank>(BANK)
            .map(|b| b.scenarios)
            .unwrap_or_default()
    })
}

/// Whether the built-in bank parses (for tests and start-up checks).
pub fn bank_error() -> Option<String> {
    serde_json::from_str::<Bank>(BANK)
        .err()
        .map(|e| e.to_string())
}

/// Find a scenario by id.
pub fn scenario(id: &str) -> Result<&'static Scenario, DialogueError> {
    scenarios()
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| DialogueError::UnknownScenario {
            id: id.chars().take(80).collect(),
        })
}
