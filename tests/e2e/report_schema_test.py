#!/usr/bin/python3
"""Validates real reports of the dojobber binary against docs/report-schema.json.

Runs the CLI on the movie example's scenarios (its defaults: failures and
blocked jobs; all succeeding; a dry run; isolated tries), on a Cleanup that
fails (per-job cleanup outcomes) and on jobs that log without end and hang
(a dropped log count, a timed-out try), validates each report with Debian's
python3-jsonschema, and shows that reports broken in one field are refused.

Usage: report_schema_test.py DOJOBBER SCHEMA MOVIE_PLUGIN CLEANUP_FAILS_PLUGIN FAULTS_PLUGIN
"""

import copy
import json
import os
import subprocess
import sys
import tempfile
import unittest

import jsonschema

DOJOBBER, SCHEMA_PATH, MOVIE, CLEANUP_FAILS, FAULTS = sys.argv[1:6]
del sys.argv[1:6]

with open(SCHEMA_PATH, encoding="utf-8") as schema_file:
    SCHEMA = json.load(schema_file)
VALIDATOR_CLASS = jsonschema.validators.validator_for(SCHEMA)
VALIDATOR_CLASS.check_schema(SCHEMA)
VALIDATOR = VALIDATOR_CLASS(SCHEMA)


def run_report(*args, expected_exit):
    """Runs `dojobber run ARGS --report FILE` and returns the report."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "report.json")
        done = subprocess.run(
            [DOJOBBER, "run", *args, "--report", path, "--progress", "never"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120, check=False)
        if done.returncode != expected_exit:
            raise AssertionError(f"exit {done.returncode}, not {expected_exit}: {args}\n"
                                 f"{done.stderr.decode(errors='replace')}")
        with open(path, encoding="utf-8") as report:
            return json.load(report)


def errors_of(report):
    return [error.message for error in VALIDATOR.iter_errors(report)]


MOVIE_RUN = ["--plugin", MOVIE, "--root", "WatchMovie"]
ALL_SUCCEED = ["--arg", "battery_state=charged", "--arg", "couch_space=true"]


class RealReportsAreValid(unittest.TestCase):
    def assert_valid(self, report):
        self.assertEqual(errors_of(report), [])
        self.assertEqual(report["schema"], 2)

    def test_movie_defaults_failures_and_blocked(self):
        report = run_report(*MOVIE_RUN, expected_exit=1)
        self.assert_valid(report)
        self.assertEqual(report["counts"]["blocked"], 2)
        self.assertEqual(report["jobs"]["TurnOnTV"]["history"][0]["check"], "failed")

    def test_movie_all_succeeding(self):
        report = run_report(*MOVIE_RUN, *ALL_SUCCEED, expected_exit=0)
        self.assert_valid(report)
        self.assertTrue(report["success"])

    def test_movie_dry_run(self):
        report = run_report(*MOVIE_RUN, "--no-act", expected_exit=1)
        self.assert_valid(report)
        self.assertIn("plan", report)

    def test_movie_isolated(self):
        report = run_report(*MOVIE_RUN, "--isolate", "-j", "4", expected_exit=1)
        self.assert_valid(report)
        self.assertEqual(report["executor"], "isolate")
        self.assertRegex(report["jobs"]["TurnOnTV"]["history"][0]["worker"], r"^pid [0-9]+$")

    def test_a_failed_cleanup(self):
        report = run_report("--plugin", CLEANUP_FAILS, "--root", "CleanupRoot", expected_exit=3)
        self.assert_valid(report)
        self.assertEqual(report["jobs"]["Leaky"]["cleanup"]["outcome"], "failed")
        self.assertEqual(report["jobs"]["First"]["cleanup"]["outcome"], "pending")

    def test_dropped_log_lines_and_a_timeout(self):
        report = run_report("--plugin", FAULTS, "--root", "Chatty", "--root", "Hang",
                            "--isolate", "-q", expected_exit=1)
        self.assert_valid(report)
        self.assertGreater(report["jobs"]["Chatty"]["log_dropped"], 0)
        self.assertTrue(report["jobs"]["Hang"]["history"][0]["timed_out"])


def broken(report, change):
    """A copy of `report` with `change` applied to it."""
    copied = copy.deepcopy(report)
    change(copied)
    return copied


class BrokenReportsAreRefused(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.report = run_report(*MOVIE_RUN, expected_exit=1)

    def assert_refused(self, change):
        mutated = broken(self.report, change)
        self.assertNotEqual(errors_of(mutated), [], "the schema accepted a broken report")

    def test_the_real_report_is_valid(self):
        self.assertEqual(errors_of(self.report), [])

    def test_version_one(self):
        self.assert_refused(lambda r: r.update(version=1))

    def test_an_unknown_top_level_field(self):
        self.assert_refused(lambda r: r.update(surprise=True))

    def test_a_missing_required_field(self):
        self.assert_refused(lambda r: r.pop("started_at"))

    def test_a_time_that_is_not_rfc_3339_utc(self):
        self.assert_refused(lambda r: r.update(ended_at="30/11/2026 18:53"))

    def test_an_unknown_executor(self):
        self.assert_refused(lambda r: r.update(executor="cloud"))

    def test_a_phase_outcome_out_of_its_enum(self):
        self.assert_refused(lambda r: r["jobs"]["TurnOnTV"]["history"][0].update(check="maybe"))

    def test_a_try_without_its_worker(self):
        self.assert_refused(lambda r: r["jobs"]["TurnOnTV"]["history"][0].pop("worker"))

    def test_an_unknown_job_kind(self):
        self.assert_refused(lambda r: r["jobs"]["TurnOnTV"].update(kind="daemon"))

    def test_an_unknown_cleanup_outcome(self):
        self.assert_refused(lambda r: r["jobs"]["CleanCouch"]["cleanup"].update(outcome="done"))

    def test_a_log_line_without_its_try(self):
        self.assert_refused(lambda r: r["jobs"]["PickTimeAndDate"]["log"][0].pop("try"))

    def test_a_negative_dropped_count(self):
        self.assert_refused(lambda r: r["jobs"]["TurnOnTV"].update(log_dropped=-1))


if __name__ == "__main__":
    unittest.main(verbosity=2)
