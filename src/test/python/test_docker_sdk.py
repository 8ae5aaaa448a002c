"""The Docker SDK for Python (docker 7.x, or the distribution's 5.x) against a tallyd.

Run by PythonSdkIT with DOCKER_HOST pointing at the daemon under test and the image `bb`
(busybox) loaded; BB_ARCHIVE names that image's `docker save` archive for the load test.
Every test removes the containers it made, so a failed test does not disturb the next.
"""
import io
import json
import os
import tarfile
import time
import unittest

import docker
from docker.types import LogConfig

IMAGE = "bb"


def tar_of(files):
    """A tar archive holding {name: bytes}."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def files_in(archive_chunks):
    """{name: bytes} of the regular files in a tar delivered in chunks."""
    tar = tarfile.open(fileobj=io.BytesIO(b"".join(archive_chunks)))
    return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


class SdkTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = docker.from_env(timeout=60)

    def setUp(self):
        self.made = []

    def tearDown(self):
        for c in self.made:
            try:
                c.remove(force=True)
            except docker.errors.NotFound:
                pass

    def running(self, *command, **kwargs):
        c = self.client.containers.run(IMAGE, list(command), detach=True, **kwargs)
        self.made.append(c)
        return c


class RunTest(SdkTestCase):
    def test_run_without_detach_returns_the_output(self):
        out = self.client.containers.run(IMAGE, ["sh", "-c", "echo hello; echo oops >&2"], remove=True)
        self.assertEqual(b"hello\n", out)
        both = self.client.containers.run(IMAGE, ["sh", "-c", "echo hello; echo oops >&2"],
                                          stderr=True, remove=True)
        self.assertEqual(sorted([b"hello", b"oops"]), sorted(both.split()))

    def test_a_failing_command_raises_container_error_with_its_status(self):
        with self.assertRaises(docker.errors.ContainerError) as caught:
            self.client.containers.run(IMAGE, ["sh", "-c", "echo bad >&2; exit 3"], remove=True)
        self.assertEqual(3, caught.exception.exit_status)
        self.assertIn(b"bad", caught.exception.stderr)

    def test_the_default_log_driver_is_json_file_and_none_keeps_no_logs(self):
        c = self.running("sh", "-c", "echo kept; sleep 1000")
        self.assertEqual("json-file", c.attrs["HostConfig"]["LogConfig"]["Type"])
        quiet = self.running("sh", "-c", "echo lost; sleep 1000", log_config=LogConfig(type="none"))
        self.assertEqual("none", quiet.attrs["HostConfig"]["LogConfig"]["Type"])
        with self.assertRaises(docker.errors.APIError):
            quiet.logs()

    def test_detached_run_streams_logs_and_wait_returns_the_status(self):
        c = self.running("sh", "-c", "for i in 1 2 3; do echo line $i; done; exit 7")
        lines = b"".join(c.logs(stream=True)).splitlines()
        self.assertEqual([b"line 1", b"line 2", b"line 3"], lines)
        self.assertEqual(7, c.wait()["StatusCode"])

    def test_inspect_shows_the_state_config_and_runtime(self):
        c = self.running("sleep", "1000", labels={"team": "py"}, environment={"GREETING": "hi"})
        info = self.client.api.inspect_container(c.id)
        self.assertEqual(c.id, info["Id"])
        self.assertEqual("running", info["State"]["Status"])
        self.assertEqual("py", info["Config"]["Labels"]["team"])
        self.assertIn("GREETING=hi", info["Config"]["Env"])
        self.assertEqual("runc", info["HostConfig"]["Runtime"])

    def test_kill_then_reload_shows_the_container_exited_and_remove_works(self):
        c = self.running("sleep", "1000")
        c.kill()
        c.reload()
        self.assertEqual("exited", c.status)
        self.assertEqual(137, c.attrs["State"]["ExitCode"])
        c.remove()
        self.made.remove(c)
        with self.assertRaises(docker.errors.NotFound):
            self.client.containers.get(c.id)

    def test_group_add_gives_the_process_the_extra_groups(self):
        out = self.client.containers.run(IMAGE, ["id", "-G"], group_add=["1234", "2345"], remove=True)
        self.assertEqual({"0", "1234", "2345"}, set(out.decode().split()))


class ExecTest(SdkTestCase):
    def test_exec_run_plain_tty_and_demuxed(self):
        c = self.running("sleep", "1000")
        plain = c.exec_run(["sh", "-c", "echo hello out; exit 4"])
        self.assertEqual((4, b"hello out\n"), (plain.exit_code, plain.output))

        tty = c.exec_run(["sh", "-c", "echo hello out"], tty=True)
        self.assertEqual((0, b"hello out\r\n"), (tty.exit_code, tty.output))

        split = c.exec_run(["sh", "-c", "echo to out; echo to err >&2"], demux=True)
        self.assertEqual((b"to out\n", b"to err\n"), split.output)

    def test_exec_run_streams_with_and_without_tty(self):
        c = self.running("sleep", "1000")
        streamed = c.exec_run(["sh", "-c", "echo a; echo b"], stream=True)
        self.assertEqual(b"a\nb\n", b"".join(streamed.output))
        tty = c.exec_run(["sh", "-c", "echo a; echo b"], stream=True, tty=True)
        self.assertEqual(b"a\r\nb\r\n", b"".join(tty.output))

    def test_exec_start_with_a_socket_delivers_the_multiplexed_stream(self):
        c = self.running("sleep", "1000")
        exec_id = self.client.api.exec_create(c.id, ["sh", "-c", "echo sock out; echo sock err >&2"])["Id"]
        sock = self.client.api.exec_start(exec_id, socket=True)
        try:
            frames = list(docker.utils.socket.frames_iter(sock, tty=False))
        finally:
            sock.close()
        by_stream = {}
        for stream, data in frames:
            by_stream[stream] = by_stream.get(stream, b"") + data
        self.assertEqual({1: b"sock out\n", 2: b"sock err\n"}, by_stream)
        self.assertEqual(0, self.client.api.exec_inspect(exec_id)["ExitCode"])


class AttachTest(SdkTestCase):
    def test_attach_without_stream_returns_the_output_so_far(self):
        c = self.running("sh", "-c", "echo attached; sleep 1000")
        for _ in range(100):
            if b"attached" in c.logs():
                break
            time.sleep(0.1)
        self.assertEqual(b"attached\n", c.attach(stream=False, logs=True))

    def test_attach_streams_until_the_container_ends(self):
        c = self.client.containers.create(IMAGE, ["sh", "-c", "read x; echo after"], stdin_open=True)
        self.made.append(c)
        c.start()
        stream = c.attach(stream=True, logs=True)
        c.kill()
        self.assertEqual(b"", b"".join(stream))

    def test_detach_keys_from_the_client_config_are_accepted(self):
        # docker-py sends the config file's detachKeys with every attach and exec
        config_dir = os.environ["DOCKER_CONFIG"]
        with open(os.path.join(config_dir, "config.json"), "w") as f:
            json.dump({"detachKeys": "ctrl-x,x"}, f)
        try:
            client = docker.from_env(timeout=60)
            self.assertEqual("ctrl-x,x", client.api._general_configs.get("detachKeys"))
            c = client.containers.run(IMAGE, ["sh", "-c", "echo with keys; sleep 1000"], detach=True)
            self.made.append(c)
            for _ in range(100):
                if b"with keys" in c.logs():
                    break
                time.sleep(0.1)
            self.assertEqual(b"with keys\n", c.attach(stream=False, logs=True))
            self.assertEqual(b"exec\n", c.exec_run(["echo", "exec"]).output)
        finally:
            os.remove(os.path.join(config_dir, "config.json"))


class ArchiveTest(SdkTestCase):
    def test_put_then_get_archive_and_stat(self):
        c = self.running("sleep", "1000")
        self.assertTrue(c.put_archive("/tmp", tar_of({"greeting.txt": b"hello file\n"})))
        self.assertEqual(b"hello file\n", c.exec_run(["cat", "/tmp/greeting.txt"]).output)

        chunks, stat = c.get_archive("/tmp/greeting.txt")
        self.assertEqual({"greeting.txt": b"hello file\n"}, files_in(chunks))
        self.assertEqual("greeting.txt", stat["name"])
        self.assertEqual(11, stat["size"])

        stat = self.client.api.get_archive(c.id, "/tmp")[1]
        self.assertEqual("tmp", stat["name"])
        self.assertTrue(stat["mode"] & (1 << 31), "a directory's mode carries os.ModeDir")

    def test_archive_paths_docker_serves(self):
        c = self.running("sleep", "1000")
        self.assertTrue(c.put_archive("/", tar_of({"at-root.txt": b"root\n"})))
        self.assertEqual(b"root\n", c.exec_run(["cat", "/at-root.txt"]).output)
        # a path relative to the container's root, and one with a trailing slash and dot segments
        self.assertEqual({"at-root.txt": b"root\n"}, files_in(c.get_archive("at-root.txt")[0]))
        self.assertEqual("etc", c.get_archive("/etc/")[1]["name"])
        self.assertIn("etc/hostname", files_in(c.get_archive("/etc/./")[0]))
        stat = c.get_archive("/")[1]
        self.assertEqual("/", stat["name"])

    def test_a_missing_path_is_not_found(self):
        c = self.running("sleep", "1000")
        with self.assertRaises(docker.errors.NotFound):
            c.get_archive("/no/such/file")
        with self.assertRaises(docker.errors.NotFound):
            c.put_archive("/no/such/dir", tar_of({"x": b"x"}))


class ImagesAndEventsTest(SdkTestCase):
    def test_images_list_shows_the_busybox_image(self):
        tags = [t for image in self.client.images.list() for t in image.tags]
        self.assertIn("bb:latest", tags)
        self.assertEqual(["bb:latest"], [t for i in self.client.images.list(name="bb") for t in i.tags])

    def test_images_load_decodes_the_message_stream(self):
        with open(os.environ["BB_ARCHIVE"], "rb") as f:
            loaded = self.client.images.load(f.read())
        self.assertEqual(["bb:latest"], [t for image in loaded for t in image.tags])

    def test_events_deliver_create_start_and_die_of_a_container(self):
        since = int(time.time()) - 1
        c = self.running("sh", "-c", "exit 0")
        c.wait()
        events = self.client.events(since=since, until=int(time.time()) + 1, decode=True,
                                    filters={"container": c.id})
        actions = [e["Action"] for e in events if e.get("Type") == "container"]
        for action in ("create", "start", "die"):
            self.assertIn(action, actions)
        self.assertLess(actions.index("create"), actions.index("start"))
        self.assertLess(actions.index("start"), actions.index("die"))


if __name__ == "__main__":
    unittest.main()
