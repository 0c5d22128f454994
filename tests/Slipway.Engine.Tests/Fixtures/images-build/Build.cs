using Slipway.Build.Components;
using Slipway.Engine;

// Another repository's build: listing the IPublishImages component is all it takes to get the image targets
// (Images, BaseImages, Build*Images, PushImages) and their parameters (--registry, --dockerfile-engine, …).
class Build : SlipwayBuild, IPublishImages
{
    public static int Main() => Execute<Build>(x => ((IPublishImages)x).Images);
}
