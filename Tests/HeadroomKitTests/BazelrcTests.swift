import Foundation
import Testing
import HeadroomKit

/// The `.bazelrc` reader on the fixtures in `Fixtures/bazelrc/`: a workspace `.bazelrc` that
/// imports `tools/ci.bazelrc` and try-imports an absent `user.bazelrc`, and small broken chains.
@Suite struct BazelrcTests {
    static let fixtures = TestSupport.repositoryRoot.appendingPathComponent("Tests/HeadroomKitTests/Fixtures/bazelrc")
    static let workspace = fixtures.appendingPathComponent("workspace").path
    static let workspaceRC = workspace + "/.bazelrc"
    static let ciRC = workspace + "/tools/ci.bazelrc"

    static func chain() throws -> BazelrcChain {
        try BazelrcReader.read(files: [workspaceRC], workspace: workspace)
    }

    static func summary(_ options: [RcOption]) -> [String] {
        options.map { option in
            let file = option.location.file == workspaceRC ? "ws" : option.location.file == ciRC ? "ci" : option.location.file
            return "\(option.name)=\(option.value ?? "nil")@\(file):\(option.location.line)"
        }
    }

    // MARK: - Words and lines

    @Test func wordsFollowQuotesEscapesAndComments() throws {
        #expect(try BazelrcTokenizer.words(#"build --a="x y" --b='p q' --c=r\ s # --d"#) == ["build", "--a=x y", "--b=p q", "--c=r s"])
        #expect(try BazelrcTokenizer.words(#"build --a="it's" --b='say "hi"' --c="\"q\"""#) == ["build", "--a=it's", #"--b=say "hi""#, #"--c="q""#])
        #expect(try BazelrcTokenizer.words("build --a=\"#not a comment\"") == ["build", "--a=#not a comment"])
        #expect(try BazelrcTokenizer.words("   # only a comment") == [])
        #expect(try BazelrcTokenizer.words("build --e=''") == ["build", "--e="])
        #expect(throws: BazelrcTokenizer.Failure.self) { try BazelrcTokenizer.words("build --a=\"open") }
    }

    @Test func continuationsJoinWithoutAddingSpace() {
        let lines = BazelrcTokenizer.logicalLines("a \\\n  b\\\nc\r\nd\n")
        #expect(lines == [.init(line: 1, text: "a   bc"), .init(line: 4, text: "d"), .init(line: 5, text: "")])
    }

    @Test func optionNamesValuesAndNoPrefix() {
        let location = SourceLocation(file: "f", line: 1)
        let options = RcOption.parse(
            ["--notrack_incremental_state", "--jobs", "8", "--keep_going", "--x=1", "-j", "3", "-k", "residue", "--host_jvm_args", "-Xmx2g"],
            command: "build", config: nil, location: location)
        #expect(options.map(\.name) == ["track_incremental_state", "jobs", "keep_going", "x", "jobs", "keep_going", "host_jvm_args"])
        #expect(options.map(\.value) == ["false", "8", nil, "1", "3", nil, "-Xmx2g"])
        #expect(options[1].raw == "--jobs 8")
        #expect(options[0].boolValue == false)
        #expect(options[2].boolValue == true)
    }

    // MARK: - The workspace chain

    @Test func readsImportsInPlaceAndSkipsMissingTryImport() throws {
        let chain = try Self.chain()
        #expect(chain.files == [Self.workspaceRC, Self.ciRC])
        #expect(chain.skippedFiles == [Self.workspace + "/user.bazelrc"])
        #expect(chain.configNames == ["ci", "remote"])
    }

    @Test func importsOfDevicesAndFIFOsAreRefusedNotWaitedOn() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("pipe.bazelrc").path
        #expect(mkfifo(fifo, 0o600) == 0)
        for target in ["/dev/zero", fifo, directory.path] {
            let rc = directory.appendingPathComponent("main.bazelrc")
            try "build --jobs=4\nimport \(target)\n".write(to: rc, atomically: true, encoding: .utf8)
            #expect {
                _ = try BazelrcReader.read(files: [rc.path], workspace: nil)
            } throws: { error in
                "\(error)".contains("not a regular file")
            }
        }
    }

    @Test func invalidUTF8IsReadNotLost() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rc = directory.appendingPathComponent(".bazelrc")
        try Data("build --jobs=4 # caf\u{e9}\n".utf8.map { $0 == 0xA9 ? 0xFF : $0 } + Array("startup --host_jvm_args=-Xmx2g\n".utf8)).write(to: rc)
        let settings = try BazelMemorySettings(chain: BazelrcReader.read(files: [rc.path], workspace: nil))
        #expect(settings.maxHeapBytes?.value == 2 << 30)
        #expect(settings.jobs?.value.text == "4")
    }

    @Test func buildOptionsCarryTheirFileAndLine() throws {
        let options = try Self.chain().effectiveOptions(command: "build")
        #expect(Self.summary(options) == [
            "heap_dump_on_oom=nil@ws:5",
            "jobs=HOST_CPUS*.5@ws:6",
            "local_ram_resources=HOST_RAM*.67@ws:6",
            "disk_cache=/var/cache/bazel disk@ws:8",
            "define=name=two words@ws:8",
            "remote_cache=grpc://cache.example.com:9092@ci:7",
        ])
        #expect(options.allSatisfy { $0.config == nil })
        #expect(options[0].command == "common")
        #expect(options[1].command == "build")
    }

    @Test func testInheritsBuildAndComesAfterIt() throws {
        let chain = try Self.chain()
        let build = try chain.effectiveOptions(command: "build")
        let test = try chain.effectiveOptions(command: "test")
        #expect(Array(test.prefix(build.count)) == build)
        #expect(Self.summary(Array(test.dropFirst(build.count))) == ["local_test_jobs=2@ws:9"])
        // coverage inherits test; info inherits build; query inherits nothing.
        #expect(try chain.effectiveOptions(command: "coverage") == test)
        #expect(try chain.effectiveOptions(command: "info") == build)
        #expect(Self.summary(try chain.effectiveOptions(command: "query")) == ["heap_dump_on_oom=nil@ws:5", "keep_going=nil@ws:14"])
    }

    @Test func configsExpandInPlaceAndRecursively() throws {
        let options = try Self.chain().effectiveOptions(command: "test", configs: ["ci"])
        let expanded = options.filter { $0.config != nil }
        #expect(Self.summary(expanded) == [
            "experimental_remote_discard_merkle_trees=false@ci:8",
            "remote_executor=grpcs://remote.example.com@ws:12",
            "experimental_remote_merkle_tree_cache=nil@ws:13",
            "experimental_remote_merkle_tree_cache_size=5000@ws:13",
            "track_incremental_state=false@ci:3",
            "keep_state_after_build=false@ci:3",
            "local_resources=memory=HOST_RAM*.5@ci:4",
            "local_resources=cpu=4@ci:4",
            "gc_thrashing_threshold=90@ci:5",
        ])
        // The command line's configs come after every rc option.
        #expect(options.firstIndex { $0.config != nil } == options.count - expanded.count)
        #expect(expanded.map(\.config) == ["ci", "remote", "remote", "remote", "ci", "ci", "ci", "ci", "ci"])
        // `test:ci` does not apply to build.
        let build = try Self.chain().effectiveOptions(command: "build", configs: ["ci"])
        #expect(!build.contains { $0.name == "gc_thrashing_threshold" })
    }

    @Test func startupOptionsAreSeparate() throws {
        let chain = try Self.chain()
        #expect(Self.summary(chain.startupOptions) == [
            "host_jvm_args=-Xmx4g@ws:2", "host_jvm_args=-XX:MaxRAMPercentage=50@ws:3", "host_jvm_args=-Xmx8g@ci:6",
        ])
        #expect(try !chain.effectiveOptions(command: "build").contains { $0.name == "host_jvm_args" })
    }

    // MARK: - Errors

    @Test func unknownConfigIsAnErrorAtItsLine() throws {
        let directory = Self.fixtures.appendingPathComponent("unknown-config").path
        let chain = try BazelrcReader.read(files: [directory + "/.bazelrc"], workspace: directory)
        let error = try #require(throws: InputError.self) { try chain.effectiveOptions(command: "build") }
        #expect(error.path == directory + "/.bazelrc")
        #expect(error.line == 3)
        #expect(error.reason.contains("'nope'"))
        let commandLine = try #require(throws: InputError.self) { try Self.chain().effectiveOptions(command: "build", configs: ["nope"]) }
        #expect(commandLine.path == "command line")
        #expect(commandLine.line == nil)
    }

    @Test func configCycleIsReported() throws {
        let directory = Self.fixtures.appendingPathComponent("config-cycle").path
        let chain = try BazelrcReader.read(files: [directory + "/.bazelrc"], workspace: directory)
        let error = try #require(throws: InputError.self) { try chain.effectiveOptions(command: "build", configs: ["x"]) }
        #expect(error.reason == "config cycle: x -> y -> x")
        #expect(error.line == 2)
    }

    @Test func importCycleIsReportedNotFollowed() throws {
        let directory = Self.fixtures.appendingPathComponent("cycle").path
        let error = try #require(throws: InputError.self) {
            try BazelrcReader.read(files: [directory + "/a.bazelrc"], workspace: directory)
        }
        #expect(error.path == directory + "/b.bazelrc")
        #expect(error.line == 2)
        #expect(error.reason == "import cycle: \(directory)/a.bazelrc -> \(directory)/b.bazelrc -> \(directory)/a.bazelrc")
    }

    @Test func missingImportIsAnErrorWithFileAndLine() throws {
        let directory = Self.fixtures.appendingPathComponent("missing-import").path
        let error = try #require(throws: InputError.self) {
            try BazelrcReader.read(files: [directory + "/.bazelrc"], workspace: directory)
        }
        #expect(error.description == "\(directory)/.bazelrc:2: imported file does not exist: \(directory)/absent.bazelrc")
    }

    @Test func missingTopLevelFilesAreSkipped() throws {
        let files = BazelrcReader.defaultFiles(workspace: Self.workspace, home: "/nonexistent-home")
        #expect(files == ["/etc/bazel.bazelrc", Self.workspaceRC, "/nonexistent-home/.bazelrc"])
        let chain = try BazelrcReader.read(files: [Self.workspace + "/absent.bazelrc", Self.workspaceRC], workspace: Self.workspace)
        #expect(chain.skippedFiles.first == Self.workspace + "/absent.bazelrc")
        #expect(chain.files.first == Self.workspaceRC)
    }

    @Test func workspaceImportWithoutWorkspaceIsAnError() throws {
        let error = try #require(throws: InputError.self) {
            try BazelrcReader.read(text: "import %workspace%/x.bazelrc\n", name: "inline", workspace: nil)
        }
        #expect(error.line == 1)
    }

    // MARK: - Memory settings

    @Test func memorySettingsForCIBuildTests() throws {
        let settings = try BazelMemorySettings(chain: Self.chain(), command: "test", configs: ["ci"])
        let ci = { (line: Int) in SourceLocation(file: Self.ciRC, line: line) }
        let ws = { (line: Int) in SourceLocation(file: Self.workspaceRC, line: line) }
        #expect(settings.maxHeapBytes == RcSetting(value: 8 << 30, flag: "host_jvm_args", text: "-Xmx8g", location: ci(6)))
        #expect(settings.maxRAMPercentage?.value == 50)
        #expect(settings.jobs?.value.form == .relative(.hostCPUs, times: 0.5, minus: nil))
        #expect(settings.jobs?.location == ws(6))
        #expect(settings.localTestJobs?.value.form == .number(2))
        #expect(settings.localRAMResources?.text == "HOST_RAM*.67")
        #expect(settings.localRAMResources?.value.resolved(hostCPUs: 8, hostRAMMegabytes: 1000) == 670)
        #expect(settings.localResources["memory"]?.value.form == .relative(.hostRAM, times: 0.5, minus: nil))
        #expect(settings.localResources["cpu"]?.value.form == .number(4))
        #expect(settings.remoteExecutor?.value == "grpcs://remote.example.com")
        #expect(settings.remoteCache?.value == "grpc://cache.example.com:9092")
        #expect(settings.diskCache?.value == "/var/cache/bazel disk")
        #expect(settings.remoteMerkleTreeCache?.value == true)
        #expect(settings.remoteMerkleTreeCacheSize?.value == 5000)
        #expect(settings.remoteDiscardMerkleTrees == RcSetting(value: false, flag: "experimental_remote_discard_merkle_trees", text: "false", location: ci(8)))
        #expect(settings.trackIncrementalState?.value == false)
        #expect(settings.keepStateAfterBuild?.location == ci(3))
        #expect(settings.heapDumpOnOOM?.value == true)
        #expect(settings.gcThrashingThreshold?.value == 90)
        #expect(settings.discardAnalysisCache == nil)
        #expect(settings.unreadable.isEmpty)
    }

    @Test func memorySettingsWithoutConfigs() throws {
        let settings = try BazelMemorySettings(chain: Self.chain(), command: "build")
        #expect(settings.remoteExecutor == nil)
        #expect(settings.gcThrashingThreshold == nil)
        #expect(settings.localTestJobs == nil)
        #expect(settings.maxHeapBytes?.value == 8 << 30)
    }

    @Test func heapSizesAndOldFlagNames() throws {
        let chain = try BazelrcReader.read(
            text: """
                startup --host_jvm_args=-XX:MaxHeapSize=512m
                startup --host_jvm_args=-Xms1g
                build --experimental_oom_more_eagerly_threshold=95 --local_ram_resources=4096 --jobs=auto
                build --heap_dump_on_oom=false --merkle_unrelated --experimental_remote_merkle_tree_cache_size=lots
                """, name: "inline", workspace: nil)
        let settings = try BazelMemorySettings(chain: chain)
        #expect(settings.maxHeapBytes?.value == 512 << 20)
        #expect(settings.maxHeapBytes?.location == SourceLocation(file: "inline", line: 1))
        #expect(settings.gcThrashingThreshold?.flag == "experimental_oom_more_eagerly_threshold")
        #expect(settings.gcThrashingThreshold?.value == 95)
        #expect(settings.localRAMResources?.value.form == .number(4096))
        #expect(settings.jobs?.value.form == .relative(.auto, times: nil, minus: nil))
        #expect(settings.jobs?.value.resolved(hostCPUs: 4, hostRAMMegabytes: 1) == nil)
        #expect(settings.heapDumpOnOOM?.value == false)
        #expect(settings.remoteMerkleTreeCacheSize == nil)
        #expect(settings.unreadable.map(\.name) == ["experimental_remote_merkle_tree_cache_size"])
        #expect(BazelMemorySettings.jvmSize("2G") == 2 << 30)
        #expect(BazelMemorySettings.jvmSize("100") == 100)
        #expect(BazelMemorySettings.jvmSize("x") == nil)
        #expect(ResourceAmount("HOST_CPUS-1").resolved(hostCPUs: 8, hostRAMMegabytes: 0) == 7)
        #expect(ResourceAmount("HOST_CPUS/2").form == nil)
    }
}
