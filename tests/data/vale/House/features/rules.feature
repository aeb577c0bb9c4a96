Feature: Rules
  # postguard's own fixtures, one per Vale rule type it runs, in the format of Vale's style suites.

  Scenario: existence with tokens
    When I test "Hedging"
    Then the output should contain exactly:
      """
      test.md:3:6:House.Hedging:Consider removing 'arguably'.
      test.md:5:4:House.Hedging:Consider removing 'appears to be'.
      test.md:5:24:House.Hedging:Consider removing 'arguably'.
      """

  Scenario: substitution with a trailing lookahead
    When I test "Contractions"
    Then the output should contain exactly:
      """
      test.md:3:1:House.Contractions:Use 'it's' instead of 'It is'.
      test.md:7:1:House.Contractions:Use 'we're' instead of 'We are'.
      """

  Scenario: existence with leading lookbehinds
    When I test "Colons"
    Then the output should contain exactly:
      """
      test.md:3:5:House.Colons:': C' should be in lowercase.
      """

  Scenario: conditional
    When I test "Acronyms"
    Then the output should contain exactly:
      """
      test.md:3:5:House.Acronyms:'WHO' has no definition.
      """

  Scenario: repetition
    When I test "Repetition"
    Then the output should contain exactly:
      """
      test.md:3:1:House.Repetition:'the' is repeated!
      test.md:5:4:House.Repetition:'is' is repeated!
      test.md:5:20:House.Repetition:'this' is repeated!
      """

  Scenario: capitalization and existence in headings
    When I test "Headings"
    Then the output should contain exactly:
      """
      test.md:3:3:House.Headings:'This is a Heading' should use sentence-style capitalization.
      test.md:7:14:House.HeadingPunctuation:Don't use end punctuation in headings.
      """

  Scenario: consistency
    When I test "Spelling"
    Then the output should contain exactly:
      """
      test.md:5:5:House.Spelling:Inconsistent spelling of 'color'.
      test.md:5:24:House.Spelling:Inconsistent spelling of 'center'.
      """

  Scenario: metric
    When I test "Readability"
    Then the output should contain exactly:
      """
      test.md:1:3:House.Readability:Try to keep the Flesch-Kincaid grade level below 8.
      """

  Scenario: existence in list items
    When I test "Lists"
    Then the output should contain exactly:
      """
      test.md:3:3:House.ListClickHere:Don't use 'Click here' in a list item.
      test.md:4:3:House.ListClickHere:Don't use 'click here' in a list item.
      """

  Scenario: spelling, with the style's own ignore file
    When I test "Typos"
    Then the output should contain exactly:
      """
      test.md:3:4:House.Typos:Did you really mean 'recieve'?
      test.md:5:5:House.Typos:Did you really mean 'Organisation'?
      """

  Scenario: sequence, with spaCy's tags
    When I test "Passive"
    Then the output should contain exactly:
      """
      test.md:3:14:House.Passive:'will be restarted' looks like passive voice.
      """

  Scenario: occurrence, counted per sentence (postguard flags each one past max)
    When I test "Occurrence"
    Then the output should contain exactly:
      """
      test.md:3:12:House.Exclamation:More than one exclamation mark in a sentence.
      """
