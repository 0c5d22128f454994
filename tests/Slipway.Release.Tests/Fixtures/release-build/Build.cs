using Slipway.Build.Components;
using Slipway.Build.Components.Ci;
using Slipway.Engine;

// Another monorepo's build with the release flow: listing IPublishImages and IReleaseImages is all it takes to get
// the image targets, ListImages/UpdateManifests/CheckManifests, --ref, and the CheckManifests job in its CI.
[GitHubImageWorkflow("images", OnPushBranches = ["main"], OnPullRequestBranches = ["main"], ImportSecrets = ["GITHUB_TOKEN"])]
[GitLabCI]
class Build : SlipwayBuild, IPublishImages, IReleaseImages
{
    public static int Main() => Execute<Build>(x => ((IPublishImages)x).Images);
}
