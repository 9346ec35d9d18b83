--
-- segment_text: what each segment and loyalty class means and what to do,
-- in en and zh-Hant; the setting rfm.language; overrides in rfm_text.
-- The expected output was read line by line against the texts as written
-- in src/segment_text.c, and for tone, as a shop owner would read them.
--
SET client_encoding = 'UTF8';
\pset format unaligned
\pset fieldsep ' | '
-- The guides in the default language (en): eleven segments and four
-- loyalty classes, best first.
SELECT * FROM segment_guide;
SELECT * FROM loyalty_guide;
SHOW rfm.language;
-- The same in Traditional Chinese, chosen by the setting (any letter case).
SET rfm.language = 'ZH-hant';
SELECT * FROM segment_guide;
SELECT * FROM loyalty_guide;
-- An argument beats the setting; NULL means the setting.
SELECT segment_label('at_risk', 'en') AS en, segment_label('at_risk', NULL) AS by_setting,
       segment_action('lost', 'EN') AS action_en, loyalty_label('lapsed') AS lapsed;
RESET rfm.language;
SELECT segment_description('champions') AS en_again, loyalty_label('one_time', 'zh-Hant') AS one_time_zh;
-- segment_label(segment) (0.2, IMMUTABLE) stays English and agrees with
-- segment_label(segment, 'en') on all eleven.
SELECT count(*) AS segments,
       count(*) FILTER (WHERE segment_label(segment) = segment_label(segment, 'en')) AS same_label
  FROM segment_guide;
-- NULL in, NULL out.
SELECT segment_label(NULL::segment, 'en') IS NULL AS label_null,
       segment_action(NULL) IS NULL AS action_null,
       loyalty_description(NULL, 'zh-Hant') IS NULL AS loyalty_null;

-- Unknown languages: an error, by argument or by setting.
\set VERBOSITY default
SELECT segment_description('lost', 'fr');
SELECT loyalty_action('loyal', '');
SET rfm.language = 'zh-Hans';
SHOW rfm.language;
\set VERBOSITY terse

-- Overrides: a row of rfm_text replaces only the fields it gives, only in
-- its language; deleting it brings the built-in text back.
INSERT INTO rfm_text (vocabulary, name, language, action)
VALUES ('segment', 'at_risk', 'en', 'Call them this week; offer free delivery on the next order.');
INSERT INTO rfm_text (vocabulary, name, language, label, description)
VALUES ('loyalty_class', 'loyal', 'zh-Hant', '熟客', '一年內訂購十次或以上。');
SELECT segment_label('at_risk', 'en') AS label, segment_description('at_risk', 'en') AS description,
       segment_action('at_risk', 'en') AS action_overridden, segment_action('at_risk', 'zh-Hant') AS action_zh;
SET rfm.language = 'zh-Hant';
SELECT * FROM loyalty_guide WHERE loyalty = 'loyal';
RESET rfm.language;
SELECT loyalty_label('loyal', 'en') AS en_untouched;
DELETE FROM rfm_text;
SELECT segment_action('at_risk', 'en') AS action_back, loyalty_label('loyal', 'zh-Hant') AS label_back;
-- Bad rows are refused: a name of no vocabulary (22P02), a language rfm
-- does not write or a vocabulary rfm does not have (23514), a second row for the same name and language (23505).
INSERT INTO rfm_text (vocabulary, name, language, label) VALUES ('segment', 'vip', 'en', 'VIP');
INSERT INTO rfm_text (vocabulary, name, language, label) VALUES ('segment', 'repeat', 'en', 'Repeat');
INSERT INTO rfm_text (vocabulary, name, language, label) VALUES ('segment', 'lost', 'zh-hant', 'x');
INSERT INTO rfm_text (vocabulary, name, language, label) VALUES ('segments', 'lost', 'en', 'x');
INSERT INTO rfm_text (vocabulary, name, language, label) VALUES ('loyalty_class', 'repeat', 'en', 'Returning');
INSERT INTO rfm_text (vocabulary, name, language, label) VALUES ('loyalty_class', 'repeat', 'en', 'Again');
SELECT loyalty_label('repeat', 'en') AS overridden_once;
DELETE FROM rfm_text;
-- Everyone may read the texts; only the extension's owner may change them.
CREATE ROLE regress_rfm_reader;
SET ROLE regress_rfm_reader;
SELECT segment_label('champions', 'zh-Hant') AS reader_reads;
INSERT INTO rfm_text (vocabulary, name, language, label) VALUES ('segment', 'lost', 'en', 'Gone');
RESET ROLE;
DROP ROLE regress_rfm_reader;
