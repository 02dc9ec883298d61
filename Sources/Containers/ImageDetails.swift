import Foundation

/// What the upgrade needs to know about an image, decoded from `docker image inspect`.
public struct ImageDetails: Sendable, Codable, Equatable {
    /// The image id.
    public var id: String
    /// Its tags (`repo:tag`).
    public var repoTags: [String]
    /// The environment the image sets (PATH and the like): the new container gets these from
    /// its own image, so they are not copied from the old container.
    public var env: [EnvVar]
    /// The labels the image sets.
    public var labels: [String: String]

    /// Creates details.
    public init(id: String, repoTags: [String] = [], env: [EnvVar] = [], labels: [String: String] = [:]) {
        self.id = id
        self.repoTags = repoTags
        self.env = env
        self.labels = labels
    }

    /// Decodes the output of `docker image inspect` (the first image of the list).
    public static func decode(inspectJSON data: Data) throws -> ImageDetails {
        // Field names are Docker's JSON keys.
        // swift-format-ignore: AlwaysUseLowerCamelCase
        struct ConfigJSON: Decodable {
            var Env: [String]?
            var Labels: [String: String]?
        }
        // swift-format-ignore: AlwaysUseLowerCamelCase
        struct Inspected: Decodable {
            var Id: String?
            var RepoTags: [String]?
            var Config: ConfigJSON?
        }
        let decoded: [Inspected]
        do {
            decoded = try JSONDecoder().decode([Inspected].self, from: data)
        } catch {
            throw InspectDecodingError(what: "image", underlying: "\(error)")
        }
        guard let first = decoded.first else {
            throw InspectDecodingError(what: "image", underlying: "the output is an empty list")
        }
        return ImageDetails(
            id: first.Id ?? "",
            repoTags: first.RepoTags ?? [],
            env: (first.Config?.Env ?? []).map(EnvVar.init(parsing:)),
            labels: first.Config?.Labels ?? [:]
        )
    }
}
