//! Short codes that carry a quiz to a group's device and its result back.
//!
//! Codes use 32 characters with none that look alike: digits 2–9 and the
//! letters A–Z without I and O. Two check characters end every code: the first
//! is the sum of the other characters' values mod 32, so any single changed
//! character is always refused; the second, a weighted sum mod 31, also catches
//! most swapped neighbours. A result code also carries a 13-bit tag of its
//! class's setup, so a code from another class or seed is refused as foreign.
//! The first character carries the version and the group's position; the rest
//! are scrambled with a keystream seeded by it, so the codes of one class's five
//! groups look nothing alike. Dashes and spaces are ignored, lower case is read
//! as upper case.

use serde::{Deserialize, Serialize};

use super::draw::{mix, Setup, MAX_COUNT, SEED_BITS};
use super::{QuizError, GROUPS_DRAWN};
use crate::credit::generate::Rng;

/// The 32 code characters.
pub const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const VERSION: u64 = 1;

fn value_of(c: char) -> Option<u64> {
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .map(|v| v as u64)
}

fn symbol(v: u64) -> char {
    ALPHABET
        .get((v % 32) as usize)
        .map(|&b| char::from(b))
        .unwrap_or('2')
}

/// Packs `(value, bits)` fields, most significant first, into code characters.
fn pack(fields: &[(u64, u32)], chars: usize) -> String {
    let mut acc: u128 = 0;
    let mut bits = 0u32;
    for &(v, b) in fields {
        acc = (acc << b) | u128::from(v & ((1u64 << b) - 1));
        bits += b;
    }
    let total = (chars as u32) * 5;
    acc <<= total.saturating_sub(bits);
    let values: Vec<u64> = (0..chars)
        .rev()
        .map(|i| ((acc >> (i as u32 * 5)) & 31) as u64)
        .collect();
    let mut out: String = whiten(&values, 1).into_iter().map(symbol).collect();
    let (c1, c2) = checks(&out);
    out.push(c1);
    out.push(c2);
    out
}

fn checks(body: &str) -> (char, char) {
    let vals: Vec<u64> = body.chars().filter_map(value_of).collect();
    let s1: u64 = vals.iter().sum::<u64>() % 32;
    let s2: u64 = vals
        .iter()
        .enumerate()
        .map(|(i, v)| (i as u64 + 1) * v)
        .sum::<u64>()
        % 31;
    (symbol(s1), symbol(s2))
}

/// Cleans a typed code: drops dashes and spaces, upper-cases, and refuses
/// characters that codes never use (naming them).
pub fn clean(code: &str, what: &str) -> Result<String, QuizError> {
    let mut out = String::new();
    for c in code.chars() {
        if c == '-' || c == ' ' || c == '\u{3000}' || c == '－' || c == '—' {
            continue;
        }
        let up = crate::text::fold_char(c).to_ascii_uppercase();
        if value_of(up).is_none() {
            let hint = match up {
                '0' | 'O' | '1' | 'I' => "（代码里没有 0、O、1、I，请核对）",
                _ => "",
            };
            return Err(QuizError::new(
                "bad_character",
                format!("{what}里有代码不使用的字符「{c}」{hint}。"),
            ));
        }
        out.push(up);
    }
    if out.is_empty() {
        return Err(QuizError::new("empty_code", format!("请输入{what}。")));
    }
    Ok(out)
}

/// Unpacks a cleaned code of `chars` payload characters after checking its length and checksum.
fn unpack(code: &str, chars: usize, what: &str) -> Result<u128, QuizError> {
    let n = code.chars().count();
    if n != chars + 2 {
        return Err(QuizError::new(
            "bad_length",
            format!(
                "{what}应有 {} 个字符，现在是 {n} 个，请核对有没有漏输或多输。",
                chars + 2
            ),
        ));
    }
    let body: String = code.chars().take(chars).collect();
    let (c1, c2) = checks(&body);
    let tail: String = code.chars().skip(chars).collect();
    if tail != format!("{c1}{c2}") {
        return Err(QuizError::new(
            "bad_checksum",
            format!("{what}校验不通过，可能有字符输错了，请逐个核对。"),
        ));
    }
    let values: Vec<u64> = body.chars().filter_map(value_of).collect();
    let acc = whiten(&values, -1)
        .into_iter()
        .fold(0u128, |acc, v| (acc << 5) | u128::from(v));
    Ok(acc)
}

/// Scrambles (`dir` 1) or unscrambles (`dir` −1) every character after the
/// first with a keystream seeded by the first, so the codes of one class's
/// groups (which differ in the first character) look nothing alike.
fn whiten(values: &[u64], dir: i64) -> Vec<u64> {
    let first = values.first().copied().unwrap_or(0);
    let mut rng = Rng::new(first.wrapping_add(0xC0DE));
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if i == 0 {
                return v;
            }
            let k = (rng.next_u64() % 32) as i64;
            (v as i64 + dir * k).rem_euclid(32) as u64
        })
        .collect()
}

/// Takes `bits` bits from the top of a `total`-bit number, advancing `used`.
fn take(acc: u128, total: u32, used: &mut u32, bits: u32) -> u64 {
    *used += bits;
    ((acc >> (total - *used)) & ((1u128 << bits) - 1)) as u64
}

/// Groups a code in fives with dashes, for reading aloud and typing.
pub fn pretty(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A seed as six code characters.
pub fn seed_text(seed: u32) -> String {
    (0..6)
        .rev()
        .map(|i| symbol(u64::from(seed >> (i * 5)) & 31))
        .collect()
}

/// Reads a seed typed as six code characters.
pub fn parse_seed(text: &str) -> Result<u32, QuizError> {
    let cleaned = clean(text, "种子")?;
    if cleaned.chars().count() != 6 {
        return Err(QuizError::new(
            "bad_seed",
            format!("种子应是 6 个字符，现在是 {} 个。", cleaned.chars().count()),
        ));
    }
    Ok(cleaned
        .chars()
        .fold(0u32, |acc, c| (acc << 5) | value_of(c).unwrap_or(0) as u32)
        & ((1 << SEED_BITS) - 1))
}

/// What a group code carries: the setup and the group's position in the draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupCode {
    /// The class's setup.
    pub setup: Setup,
    /// Position in the draw, 0–4.
    pub position: u8,
}

const GROUP_CHARS: usize = 13;

impl GroupCode {
    /// The code (15 characters, no dashes).
    pub fn encode(&self) -> String {
        let s = &self.setup;
        pack(
            &[
                (VERSION, 2),
                (u64::from(self.position), 3),
                (u64::from(s.seed), SEED_BITS),
                (u64::from(s.topics), 8),
                (u64::from(s.count), 5),
                (u64::from(s.pass_mark), 5),
                (u64::from(s.bank), 9),
            ],
            GROUP_CHARS,
        )
    }

    /// Reads a group code; refuses typos and codes that make no sense.
    pub fn decode(code: &str) -> Result<GroupCode, QuizError> {
        let what = "小组测验码";
        let acc = unpack(&clean(code, what)?, GROUP_CHARS, what)?;
        let total = GROUP_CHARS as u32 * 5;
        let mut used = 0;
        let version = take(acc, total, &mut used, 2);
        let position = take(acc, total, &mut used, 3) as u8;
        let seed = take(acc, total, &mut used, SEED_BITS) as u32;
        let topics = take(acc, total, &mut used, 8) as u8;
        let count = take(acc, total, &mut used, 5) as u8;
        let pass_mark = take(acc, total, &mut used, 5) as u8;
        let bank = take(acc, total, &mut used, 9) as u16;
        if version != VERSION
            || topics == 0
            || count == 0
            || count > MAX_COUNT
            || pass_mark == 0
            || pass_mark > count
            || usize::from(position) >= GROUPS_DRAWN
        {
            return Err(QuizError::new(
                "bad_code",
                format!("{what}无效，请向老师重新要测验链接。"),
            ));
        }
        Ok(GroupCode {
            setup: Setup {
                seed,
                topics,
                count,
                pass_mark,
                bank,
            },
            position,
        })
    }
}

/// A 13-bit tag of a setup: result codes carry it to prove their class.
pub fn class_tag(setup: &Setup) -> u64 {
    let packed = (u64::from(setup.seed) << 30)
        | (u64::from(setup.topics) << 22)
        | (u64::from(setup.count) << 17)
        | (u64::from(setup.pass_mark) << 12)
        | u64::from(setup.bank);
    mix(packed, 0x7A6) & 0x1FFF
}

/// What a result code carries: the group's position and which answers were right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultCode {
    /// Position in the draw, 0–4.
    pub position: u8,
    /// Right (true) or wrong, per question.
    pub correct: Vec<bool>,
}

const RESULT_CHARS: usize = 8;

impl ResultCode {
    /// The code (10 characters, no dashes) for a class's setup.
    pub fn encode(&self, setup: &Setup) -> String {
        let mask = self
            .correct
            .iter()
            .enumerate()
            .filter(|(_, &c)| c)
            .fold(0u64, |m, (i, _)| m | (1u64 << i));
        pack(
            &[
                (VERSION, 2),
                (u64::from(self.position), 3),
                (class_tag(setup), 13),
                (mask, 20),
                (0, 2),
            ],
            RESULT_CHARS,
        )
    }

    /// Reads a result code against the teacher's setup: refuses typos
    /// (`bad_checksum`) and codes of another class or seed (`foreign_code`).
    pub fn decode(code: &str, setup: &Setup) -> Result<ResultCode, QuizError> {
        let what = "结果码";
        let acc = unpack(&clean(code, what)?, RESULT_CHARS, what)?;
        let total = RESULT_CHARS as u32 * 5;
        let mut used = 0;
        let version = take(acc, total, &mut used, 2);
        let position = take(acc, total, &mut used, 3) as u8;
        let tag = take(acc, total, &mut used, 13);
        let mask = take(acc, total, &mut used, 20);
        if version != VERSION || tag != class_tag(setup) {
            return Err(QuizError::new(
                "foreign_code",
                "这个结果码不属于本次抽查（种子或设置不同），请让小组确认打开的是本次的测验链接。",
            ));
        }
        let count = u32::from(setup.count);
        if usize::from(position) >= GROUPS_DRAWN || (count < 20 && mask >> count != 0) {
            return Err(QuizError::new("bad_code", "结果码无效，请让小组重新提交。"));
        }
        Ok(ResultCode {
            position,
            correct: (0..count).map(|i| mask & (1u64 << i) != 0).collect(),
        })
    }
}
