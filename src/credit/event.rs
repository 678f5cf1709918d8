//! The events of a log, after parsing: names are interned [`Sym`]s.

use serde::{Deserialize, Serialize};

use super::symbols::Sym;
use crate::time::Time;

/// A party to a trade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The buyer.
    Buyer,
    /// The seller.
    Seller,
}

impl Role {
    /// The other party.
    pub fn other(self) -> Role {
        match self {
            Role::Buyer => Role::Seller,
            Role::Seller => Role::Buyer,
        }
    }

    /// 0 for the buyer, 1 for the seller.
    pub fn index(self) -> usize {
        match self {
            Role::Buyer => 0,
            Role::Seller => 1,
        }
    }

    /// `buyer` or `seller`.
    pub fn code(self) -> &'static str {
        match self {
            Role::Buyer => "buyer",
            Role::Seller => "seller",
        }
    }

    /// 买家 or 卖家.
    pub fn zh(self) -> &'static str {
        match self {
            Role::Buyer => "买家",
            Role::Seller => "卖家",
        }
    }
}

/// A credit review's rating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 好评, +1.
    Good,
    /// 中评, 0.
    Neutral,
    /// 差评, −1.
    Bad,
}

impl Rating {
    /// Base points: good +1, neutral 0, bad −1.
    pub fn points(self) -> i8 {
        match self {
            Rating::Good => 1,
            Rating::Neutral => 0,
            Rating::Bad => -1,
        }
    }

    /// 好评 / 中评 / 差评.
    pub fn zh(self) -> &'static str {
        match self {
            Rating::Good => "好评",
            Rating::Neutral => "中评",
            Rating::Bad => "差评",
        }
    }
}

/// What a revision turns a review into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Revision {
    /// Changed to a good review.
    Good,
    /// Deleted.
    Deleted,
}

/// What a reply answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyTarget {
    /// The review the sender received.
    Review,
    /// The buyer's follow-up (追评).
    FollowUp,
}

/// A shop-rating dimension (all platforms' dimensions; a rule set picks some).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// 宝贝与描述相符 / 描述相符.
    Description,
    /// 卖家服务态度 / 服务态度.
    Service,
    /// 卖家发货速度.
    Shipping,
    /// 物流公司服务 / 物流服务.
    Logistics,
}

impl Dimension {
    /// All dimensions, in index order.
    pub const ALL: [Dimension; 4] = [
        Dimension::Description,
        Dimension::Service,
        Dimension::Shipping,
        Dimension::Logistics,
    ];

    /// The field name in a log.
    pub fn code(self) -> &'static str {
        match self {
            Dimension::Description => "description",
            Dimension::Service => "service",
            Dimension::Shipping => "shipping",
            Dimension::Logistics => "logistics",
        }
    }

    /// Position in [`Dimension::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The dimension named `code`.
    pub fn from_code(code: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// One dimension's score as given in the log.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DsrValue {
    /// Not given.
    #[default]
    Absent,
    /// A score 1–5.
    Score(u8),
    /// Given, but not an integer 1–5.
    Invalid,
}

/// A shop rating's scores, indexed by [`Dimension::index`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DsrScores {
    /// Per-dimension values.
    pub values: [DsrValue; 4],
    /// The first field that names no dimension at all, if any (its name,
    /// interned: events own no memory, so a log of millions drops at once).
    pub unknown: Option<Sym>,
}

/// A new order (its `at` is the trade's success).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrderEvent {
    /// Order id.
    pub id: Sym,
    /// Buyer id.
    pub buyer: Sym,
    /// Seller id.
    pub seller: Sym,
    /// Item (同款商品) id.
    pub item: Sym,
    /// Price in yuan.
    pub price: f64,
    /// When the order was placed.
    pub created: Time,
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EventBody {
    /// A trade succeeded.
    Order(OrderEvent),
    /// A credit review from one party.
    Review {
        /// The order.
        order: Sym,
        /// Who reviews.
        from: Role,
        /// The rating.
        rating: Rating,
    },
    /// A shop rating from the buyer.
    Dsr {
        /// The order.
        order: Sym,
        /// The scores.
        scores: DsrScores,
    },
    /// A party revises its own review.
    Revise {
        /// The order.
        order: Sym,
        /// Who revises.
        from: Role,
        /// The new state.
        to: Revision,
    },
    /// The buyer's follow-up (追评).
    FollowUp {
        /// The order.
        order: Sym,
    },
    /// A reply (解释) to a review or follow-up.
    Reply {
        /// The order.
        order: Sym,
        /// Who replies.
        from: Role,
        /// What is answered.
        to: ReplyTarget,
    },
}

/// An event of the log.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Event {
    /// When it happened.
    pub at: Time,
    /// What happened.
    pub body: EventBody,
}
