//! Cash amounts offered in a message (5元, 十块, ¥10).

use crate::text::{Guards, Normalized, Pattern};

/// A cash amount offered by the agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashOffer {
    /// Amount in yuan.
    pub yuan: u32,
    /// First normalised character.
    pub start: usize,
    /// One past the last normalised character.
    pub end: usize,
}

fn cn_digit(c: char) -> Option<u32> {
    match c {
        '零' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

fn is_cn_numeral(c: char) -> bool {
    cn_digit(c).is_some() || c == '十' || c == '百'
}

/// Value of a run of Chinese numerals (五, 十, 十五, 二十, 一百, 两百五十).
fn cn_value(run: &[char]) -> u32 {
    let mut total: u32 = 0;
    let mut digit: Option<u32> = None;
    for &c in run {
        match c {
            '百' => {
                total = total.saturating_add(digit.unwrap_or(1).saturating_mul(100));
                digit = None;
            }
            '十' => {
                total = total.saturating_add(digit.unwrap_or(1).saturating_mul(10));
                digit = None;
            }
            _ => digit = cn_digit(c).or(digit),
        }
    }
    total.saturating_add(digit.unwrap_or(0))
}

/// Every amount followed by 元 or 块 (or after ¥) that the same clause makes a cash
/// offer (补偿, 退您…), not negated, and not a coupon's face value.
pub fn cash_offers(
    text: &Normalized,
    cash: &[Pattern],
    not_cash: &[Pattern],
    guards: &Guards,
) -> Vec<CashOffer> {
    let chars = &text.chars;
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some(&c) = chars.get(i) else { break };
        let start = i;
        let value;
        if c.is_ascii_digit() {
            let mut v: u32 = 0;
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                v = v.saturating_mul(10).saturating_add(d);
                i += 1;
            }
            value = v;
        } else if is_cn_numeral(c) {
            while chars.get(i).is_some_and(|&c| is_cn_numeral(c)) {
                i += 1;
            }
            value = chars.get(start..i).map_or(0, cn_value);
        } else {
            i += 1;
            continue;
        }
        let before_yen = start.checked_sub(1).and_then(|p| chars.get(p)) == Some(&'¥');
        let unit = matches!(chars.get(i), Some('元') | Some('块'));
        if !(unit || before_yen) {
            continue;
        }
        let end = if unit { i + 1 } else { i };
        let coupon = chars
            .get(end..(end + 4).min(chars.len()))
            .is_some_and(|w| w.contains(&'券'));
        let clause = text.clauses.get(start);
        let in_clause = |ps: &[Pattern]| {
            ps.iter().any(|p| {
                p.occurrences(text)
                    .into_iter()
                    .any(|(a, _)| text.clauses.get(a) == clause)
            })
        };
        let offered = in_clause(cash) && !in_clause(not_cash);
        let negated = guards.negators.iter().any(|n| {
            n.occurrences(text)
                .into_iter()
                .any(|(a, b)| b <= start && text.clauses.get(a) == clause)
        });
        if offered && !negated && !coupon && value > 0 {
            let start = if before_yen { start - 1 } else { start };
            out.push(CashOffer {
                yuan: value,
                start,
                end,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{compile, normalize};

    fn offers(s: &str) -> Vec<u32> {
        let g = Guards {
            negators: compile(&["不能".into(), "没办法".into()]),
            conditionals: vec![],
            window: 2,
        };
        let cash = compile(&["补偿".into(), "退您".into(), "红包".into()]);
        let not_cash = compile(&["运费".into()]);
        cash_offers(&normalize(s), &cash, &not_cash, &g)
            .into_iter()
            .map(|o| o.yuan)
            .collect()
    }

    #[test]
    fn amounts() {
        assert_eq!(offers("我们补偿您5元"), vec![5]);
        assert_eq!(offers("给您发个十块的红包"), vec![10]);
        assert_eq!(offers("退您¥20可以吗"), vec![20]);
        assert_eq!(offers("退货来回运费要20元，我们补偿您十元"), vec![10]);
        assert_eq!(offers("没办法补偿您100元"), Vec::<u32>::new());
        assert_eq!(offers("补偿您一张10元优惠券"), Vec::<u32>::new());
        assert_eq!(offers("补偿二十五元"), vec![25]);
        assert_eq!(offers("退您运费20元"), Vec::<u32>::new());
    }
}
