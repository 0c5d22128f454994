using Slipway.Build.Components;
using Slipway.Build.Components.Ci;
using Slipway.Engine;

// A monorepo's build that generates its CI: the image targets of IPublishImages, GitHub's image workflow and the
// GitLab pipeline, both from the images it discovers. The CI tests run what it generates for real.
[GitHubImageWorkflow("images", OnPushBranches = ["main"], OnPullRequestBranches = ["main"],
    PullRequestPushesBranchTags = true, ImportSecrets = ["GITHUB_TOKEN"], Permissions = ["contents: read", "packages: write"])]
[GitLabCI(MergeRequestsPushBranchTags = true)]
class Build : SlipwayBuild, IPublishImages
{
    public static int Main() => Execute<Build>(x => ((IPublishImages)x).Images);
}
